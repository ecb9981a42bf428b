import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, EventSourcingModule, PlatformModule, PublishedPolicies } from '@nqpf/platform';
import { AssessCenterHandler } from './centers/assess-center.handler';
import { AssessmentConsumer } from './centers/assessment.consumer';
import { AssessmentController } from './centers/assessment.controller';
import { CenterExecutor } from './centers/center.executor';
import { ReportingCopy } from './centers/reporting-copy';
import { ReviseAssessmentHandler } from './centers/revise-assessment.handler';
import { AssessmentConfig } from './config';

export interface AssessmentOverrides {
  /** Replaces the wall clock (tests: ManualClock) for commands and consumers. */
  clock?: Clock;
}

@Module({})
export class AssessmentModule {
  static forRoot(
    config: AssessmentConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: AssessmentOverrides = {},
  ): DynamicModule {
    const clock: Provider[] = overrides.clock ? [{ provide: Clock, useValue: overrides.clock }] : [];
    return {
      module: AssessmentModule,
      imports: [
        PlatformModule.forRoot({ service: 'assessment', config, env }),
        EventSourcingModule.forRoot({ service: 'assessment', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [AssessmentController],
      providers: [
        ...clock,
        PublishedPolicies,
        ReportingCopy,
        CenterExecutor,
        AssessCenterHandler,
        ReviseAssessmentHandler,
        AssessmentConsumer,
      ],
    };
  }
}
