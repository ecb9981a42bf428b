import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { AssessmentConfig } from './config';

@Module({})
export class AssessmentModule {
  static forRoot(config: AssessmentConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: AssessmentModule,
      imports: [PlatformModule.forRoot({ service: 'assessment', config, env }), CqrsModule.forRoot()],
    };
  }
}
