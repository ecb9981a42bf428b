import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  Clock,
  EventSourcingModule,
  MetricsRegistry,
  PlatformModule,
  PublishedPolicies,
} from '@nqpf/platform';
import { WorkingDayCalendar } from '@nqpf/rules';
import { Gauge } from 'prom-client';
import { ApplicationAcceptedConsumer } from './candidacies/application-accepted.consumer';
import { CandidaciesController } from './candidacies/candidacies.controller';
import { CandidacyHandler } from './candidacies/candidacy.handler';
import { CandidaciesProjection } from './candidacies/read-model/candidacies.projection';
import { PublicityController } from './candidacies/read-model/publicity.controller';
import { loadWorkingDayCalendar } from './candidacies/working-day-calendar';
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
        {
          provide: WorkingDayCalendar,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => {
            const calendar = loadWorkingDayCalendar(config.NQPF_CALENDAR_YEARS);
            // Alert on it in the autumn: next year's publicity ends need next year's data (A9.3).
            new Gauge({
              name: 'nqpf_calendar_last_covered_year',
              help: 'last year the working-day calendar has holiday data for (bundled or NQPF_CALENDAR_YEARS)',
              registers: [metrics.registry],
            }).set(Math.max(...calendar.coveredYears()));
            return calendar;
          },
        },
        PublishedPolicies,
        CandidaciesProjection,
        CandidacyHandler,
        ApplicationAcceptedConsumer,
        PublicityDeadlineTimer,
      ],
    };
  }
}
