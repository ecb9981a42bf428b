import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, EventSourcingModule, PlatformModule, PublishedPolicies } from '@nqpf/platform';
import { ReportingConfig } from './config';
import { ObligationsController, REPORT_BODY_LIMIT } from './obligations/obligations.controller';
import { ObligationsExecutor } from './obligations/obligations.executor';
import { ObligationsHandler } from './obligations/obligations.handler';
import { OperatingDeadlineTimer } from './obligations/operating-deadline.timer';
import { ReportDeadlineTimer } from './obligations/report-deadline.timer';
import { ReportingConsumer } from './obligations/reporting.consumer';

export interface ReportingOverrides {
  /** Replaces the wall clock (tests: ManualClock) for commands, consumers and the deadline timer. */
  clock?: Clock;
}

@Module({})
export class ReportingModule {
  static forRoot(
    config: ReportingConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: ReportingOverrides = {},
  ): DynamicModule {
    const clock: Provider[] = overrides.clock ? [{ provide: Clock, useValue: overrides.clock }] : [];
    return {
      module: ReportingModule,
      imports: [
        PlatformModule.forRoot({ service: 'reporting', config, env, bodyLimits: [REPORT_BODY_LIMIT] }),
        EventSourcingModule.forRoot({ service: 'reporting', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [ObligationsController],
      providers: [
        ...clock,
        PublishedPolicies,
        ObligationsExecutor,
        ObligationsHandler,
        ReportDeadlineTimer,
        OperatingDeadlineTimer,
        ReportingConsumer,
      ],
    };
  }
}
