import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Pool } from 'pg';
import { EventPayloadSchemas, SERVICES, serviceTopic } from '@nqpf/contracts';
import { CONFIG, ConsumerHost, PG_POOL } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { migrateAuditTrail } from './audit.table';
import { applyAuditEvent, applyStreamAuditEvent } from './audit.writer';
import { STREAM_TRAIL_TYPES } from './trail-entry';

/**
 * Feeds audit.trail (events about a center) and audit.stream_trail (calls, experts, the policy book) from
 * every service's topic, from the beginning; a redelivery inserts nothing new. The groups are `.v2` since
 * the trail keeps each event's payload: new groups read every topic once more from the beginning, filling
 * the payload of the rows kept before (the groups without `.v2` are no longer read).
 */
@Injectable()
export class AuditConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly consumers: ConsumerHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await migrateAuditTrail(this.pool);
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const topics = SERVICES.map((s) => serviceTopic(s, prefix));
    await this.consumers.start({
      groupId: `${prefix}.registry.audit.v2`,
      topics,
      fromBeginning: true,
      validate: EventPayloadSchemas,
      // Every event is kept as published, by its shape (toTrailEntry): a schema version this build does
      // not know as a type it does not know, rather than a dead letter and a gap in the auditors' trail.
      readsByShape: true,
      // The trail row is keyed by the event id and the district upsert converges: no inbox needed.
      idempotent: true,
      handle: applyAuditEvent,
    });
    // A group of its own, so the events about no center recorded before it existed are read too.
    await this.consumers.start({
      groupId: `${prefix}.registry.audit.streams.v2`,
      topics,
      fromBeginning: true,
      eventTypes: STREAM_TRAIL_TYPES,
      validate: EventPayloadSchemas,
      // As the center trail: a schema version this build does not know is kept by its shape.
      readsByShape: true,
      idempotent: true,
      handle: applyStreamAuditEvent,
    });
  }
}
