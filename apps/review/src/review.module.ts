import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule } from '@nqpf/platform';
import { ReviewConfig } from './config';

@Module({})
export class ReviewModule {
  static forRoot(config: ReviewConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: ReviewModule,
      imports: [PlatformModule.forRoot({ service: 'review', config, env }), CqrsModule.forRoot()],
    };
  }
}
