import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { PoolClient } from 'pg';
import {
  AssessmentEventTypes,
  CenterTrackedV1,
  EventEnvelope,
  EventPayloadSchemas,
  OperationStartRecordedV1,
  serviceTopic,
} from '@nqpf/contracts';
import { CONFIG, ConsumerHost } from '@nqpf/platform';
import type { FinanceConfig } from '../config';
import { lockCenter } from './inbound-appender';
import { operatingDeadlines } from './operating-deadlines';

/**
 * assessment.center-tracked → the center's A17.3a operating deadline; assessment.operation-start-recorded →
 * its start (operating-deadlines.ts), which a payment dated after the deadline is checked against. A group
 * of its own, read from the topic's beginning: on its first start it learns the deadline of every center
 * tracked before, which the assessments group had passed over. In the inbox transaction, under the center's
 * lock, as a disbursement reads it.
 */
@Injectable()
export class OperatingDeadlinesConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: FinanceConfig,
    private readonly consumers: ConsumerHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.finance.operating-deadlines`,
      topics: [serviceTopic('assessment', prefix)],
      fromBeginning: true,
      validate: EventPayloadSchemas,
      eventTypes: [AssessmentEventTypes.CenterTracked, AssessmentEventTypes.OperationStartRecorded],
      handle: (event, tx) => this.handle(event, tx),
    });
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const { centerId } = event.payload as { centerId: string };
    await lockCenter(tx, centerId);
    if (event.type === AssessmentEventTypes.CenterTracked)
      await operatingDeadlines.tracked(tx, event.payload as CenterTrackedV1);
    else if (event.type === AssessmentEventTypes.OperationStartRecorded)
      await operatingDeadlines.started(tx, event.payload as OperationStartRecordedV1);
  }
}
