import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventSourcingModule, PlatformModule } from '@nqpf/platform';
import { AccountCommandHandler } from './accounts/account.handler';
import { AccountsController } from './accounts/accounts.controller';
import { FinanceConfig } from './config';
import { AssessmentsConsumer } from './consumers/assessments.consumer';
import { InboundAppender } from './consumers/inbound-appender';
import { RecognitionsConsumer } from './consumers/recognitions.consumer';
import { PoliciesController } from './policies/policies.controller';
import { PublishPolicyHandler } from './policies/publish-policy.handler';

@Module({})
export class FinanceModule {
  static forRoot(config: FinanceConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: FinanceModule,
      imports: [
        PlatformModule.forRoot({ service: 'finance', config, env }),
        EventSourcingModule.forRoot({ service: 'finance', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [PoliciesController, AccountsController],
      providers: [
        PublishPolicyHandler,
        AccountCommandHandler,
        InboundAppender,
        RecognitionsConsumer,
        AssessmentsConsumer,
      ],
    };
  }
}
