import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { FinanceConfig } from './config';

@Module({})
export class FinanceModule {
  static forRoot(config: FinanceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: FinanceModule,
      imports: [PlatformModule.forRoot({ service: 'finance', config, env }), CqrsModule.forRoot()],
    };
  }
}
