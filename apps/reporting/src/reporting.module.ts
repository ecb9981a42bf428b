import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { ReportingConfig } from './config';

@Module({})
export class ReportingModule {
  static forRoot(config: ReportingConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forRoot({ service: 'reporting', config, env }), CqrsModule.forRoot()],
    };
  }
}
