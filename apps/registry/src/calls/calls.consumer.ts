import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EventPayloadSchemas, IntakeEventTypes, serviceTopic } from '@nqpf/contracts';
import { CONFIG, ConsumerHost, PG_POOL } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { applyCallEvent, migrateCalls } from './calls.read-model';

@Injectable()
export class CallsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly consumers: ConsumerHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await migrateCalls(this.pool);
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.registry.calls`,
      topics: [serviceTopic('intake', prefix)],
      fromBeginning: true,
      validate: EventPayloadSchemas,
      eventTypes: [IntakeEventTypes.CallOpened, IntakeEventTypes.CallClosed],
      handle: applyCallEvent,
    });
  }
}
