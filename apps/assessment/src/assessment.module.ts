import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { AssessmentConfig } from './config';

@Module({})
export class AssessmentModule {
  static forRoot(config: AssessmentConfig): DynamicModule {
    return {
      module: AssessmentModule,
      imports: [PlatformModule.forRoot({ service: 'assessment', config }), CqrsModule.forRoot()],
    };
  }
}
