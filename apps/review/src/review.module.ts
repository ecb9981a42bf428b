import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventSourcingModule, PlatformModule } from '@nqpf/platform';
import { ApplicationAcceptedConsumer } from './candidacies/application-accepted.consumer';
import { CandidaciesController } from './candidacies/candidacies.controller';
import { CandidacyHandler } from './candidacies/candidacy.handler';
import { ReviewConfig } from './config';
import { ExpertsController } from './experts/experts.controller';

@Module({})
export class ReviewModule {
  static forRoot(config: ReviewConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: ReviewModule,
      imports: [
        PlatformModule.forRoot({ service: 'review', config, env }),
        EventSourcingModule.forRoot({ service: 'review', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [CandidaciesController, ExpertsController],
      providers: [CandidacyHandler, ApplicationAcceptedConsumer],
    };
  }
}
