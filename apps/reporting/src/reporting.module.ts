import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { ReportingConfig } from './config';

@Module({})
export class ReportingModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: ReportingModule,
      imports: [PlatformModule.forRoot({ service: 'reporting', config }), CqrsModule.forRoot()],
    };
  }
}
