import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock, EventSourcingModule, PlatformModule, PublishedPolicies } from '@nqpf/platform';
import { ApplicationHandler } from './applications/application.handler';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsProjection } from './applications/read-model/applications.projection';
import { CloseCallHandler, OpenCallHandler } from './calls/call.handlers';
import { CallsController } from './calls/calls.controller';
import { IntakeConfig } from './config';

export interface IntakeOverrides {
  /** Replaces the wall clock (tests: ManualClock) for calls and applications. */
  clock?: Clock;
}

@Module({})
export class IntakeModule {
  static forRoot(
    config: IntakeConfig,
    env: NodeJS.ProcessEnv = process.env,
    overrides: IntakeOverrides = {},
  ): DynamicModule {
    const clock: Provider[] = overrides.clock ? [{ provide: Clock, useValue: overrides.clock }] : [];
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forRoot({ service: 'intake', config, env }),
        EventSourcingModule.forRoot({ service: 'intake', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [CallsController, ApplicationsController],
      providers: [
        ...clock,
        PublishedPolicies,
        OpenCallHandler,
        CloseCallHandler,
        ApplicationHandler,
        ApplicationsProjection,
      ],
    };
  }
}
