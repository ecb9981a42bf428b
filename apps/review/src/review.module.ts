import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, EventSourcingModule, PlatformModule } from '@nqpf/platform';
import { ApplicationAcceptedConsumer } from './candidacies/application-accepted.consumer';
import { CandidaciesController } from './candidacies/candidacies.controller';
import { CandidacyHandler } from './candidacies/candidacy.handler';
import { CandidaciesProjection } from './candidacies/read-model/candidacies.projection';
import { PublicityController } from './candidacies/read-model/publicity.controller';
import { ReviewConfig } from './config';
import { PublicityDeadlineTimer } from './deadlines/publicity-deadline.timer';
import { ExpertsController } from './experts/experts.controller';

export interface ReviewOverrides {
  /** Replaces the wall clock (tests: ManualClock) for commands, the consumer and the deadline runner. */
  clock?: Clock;
}

@Module({})
export class ReviewModule {
  static forRoot(
    config: ReviewConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: ReviewOverrides = {},
  ): DynamicModule {
    const clock: Provider[] = overrides.clock ? [{ provide: Clock, useValue: overrides.clock }] : [];
    return {
      module: ReviewModule,
      imports: [
        PlatformModule.forRoot({ service: 'review', config, env }),
        EventSourcingModule.forRoot({ service: 'review', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [CandidaciesController, ExpertsController, PublicityController],
      providers: [
        ...clock,
        CandidaciesProjection,
        CandidacyHandler,
        ApplicationAcceptedConsumer,
        PublicityDeadlineTimer,
      ],
    };
  }
}
