import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, EventSourcingModule, PlatformModule } from '@nqpf/platform';
import { AccountCommandHandler } from './accounts/account.handler';
import { AccountsController } from './accounts/accounts.controller';
import { HeldRevisionsController } from './accounts/held-revisions.controller';
import { FinanceConfig } from './config';
import { AssessmentsConsumer } from './consumers/assessments.consumer';
import { InboundAppender } from './consumers/inbound-appender';
import { OperatingDeadlinesConsumer } from './consumers/operating-deadlines.consumer';
import { RecognitionsConsumer } from './consumers/recognitions.consumer';
import { PoliciesController } from './policies/policies.controller';
import { PublishPolicyHandler } from './policies/publish-policy.handler';

export interface FinanceOverrides {
  /** Replaces the wall clock (tests: ManualClock) for commands and consumers. */
  clock?: Clock;
}

@Module({})
export class FinanceModule {
  static forRoot(
    config: FinanceConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: FinanceOverrides = {},
  ): DynamicModule {
    const clock: Provider[] = overrides.clock ? [{ provide: Clock, useValue: overrides.clock }] : [];
    return {
      module: FinanceModule,
      imports: [
        PlatformModule.forRoot({ service: 'finance', config, env }),
        EventSourcingModule.forRoot({ service: 'finance', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      // HeldRevisionsController before AccountsController: GET /accounts/held-revisions before /accounts/:centerId.
      controllers: [PoliciesController, HeldRevisionsController, AccountsController],
      providers: [
        ...clock,
        PublishPolicyHandler,
        AccountCommandHandler,
        InboundAppender,
        RecognitionsConsumer,
        AssessmentsConsumer,
        OperatingDeadlinesConsumer,
      ],
    };
  }
}
