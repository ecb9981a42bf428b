import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventSourcingModule, PlatformModule } from '@nqpf/platform';
import { ApplicationHandler } from './applications/application.handler';
import { ApplicationsController } from './applications/applications.controller';
import { CloseCallHandler, OpenCallHandler } from './calls/call.handlers';
import { CallsController } from './calls/calls.controller';
import { IntakeConfig } from './config';

@Module({})
export class IntakeModule {
  static forRoot(config: IntakeConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forRoot({ service: 'intake', config, env }),
        EventSourcingModule.forRoot({ service: 'intake', topicPrefix: config.KAFKA_TOPIC_PREFIX }),
        CqrsModule.forRoot(),
      ],
      controllers: [CallsController, ApplicationsController],
      providers: [OpenCallHandler, CloseCallHandler, ApplicationHandler],
    };
  }
}
