import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { PoolClient } from 'pg';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  CenterRevokedV1,
  EventEnvelope,
  EventPayloadSchemas,
  serviceTopic,
} from '@nqpf/contracts';
import { CONFIG, ConsumerHost } from '@nqpf/platform';
import { grantOnAssessment, stopOnRevocation } from '../application/inbound/inbound-commands';
import type { FinanceConfig } from '../config';
import { InboundAppender, lockCenter, parkedInbound } from './inbound-appender';

/**
 * assessment.assessment-completed → the next support year's grant (A12.3);
 * assessment.center-revoked → support stops for good (A16, A17.3).
 */
@Injectable()
export class AssessmentsConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: FinanceConfig,
    private readonly consumers: ConsumerHost,
    private readonly appender: InboundAppender,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.finance.assessments`,
      topics: [serviceTopic('assessment', prefix)],
      fromBeginning: true,
      validate: EventPayloadSchemas,
      eventTypes: [AssessmentEventTypes.AssessmentCompleted, AssessmentEventTypes.CenterRevoked],
      handle: (event, tx) => this.handle(event, tx),
    });
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const centerId = (event.payload as { centerId?: string }).centerId;
    if (centerId) await lockCenter(tx, centerId);
    const account = centerId ? await this.appender.account(tx, centerId) : undefined;
    // Read before the recognition that opens the account (another topic): kept until it opens.
    if (centerId && account?.state.status === 'none') return parkedInbound.park(tx, centerId, event);
    if (event.type === AssessmentEventTypes.AssessmentCompleted) {
      const payload = event.payload as AssessmentCompletedV1;
      const policies = await this.appender.policies(tx);
      // The grant's entry id derives from the assessment event, so a redelivery names the same entry.
      const command = grantOnAssessment(payload, policies, `grant-${event.id}`);
      if (command) await this.appender.apply(tx, event, payload.centerId, command, account);
    } else if (event.type === AssessmentEventTypes.CenterRevoked) {
      const payload = event.payload as CenterRevokedV1;
      await this.appender.apply(tx, event, payload.centerId, stopOnRevocation(payload), account);
    }
  }
}
