import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { FinanceConfig } from './config';

@Module({})
export class FinanceModule {
  static forRoot(config: FinanceConfig): DynamicModule {
    return {
      module: FinanceModule,
      imports: [PlatformModule.forRoot({ service: 'finance', config }), CqrsModule.forRoot()],
    };
  }
}
