import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  AssessmentRevisedV1,
  CenterRevokedV1,
  EventEnvelope,
  EventPayloadSchemas,
  serviceTopic,
} from '@nqpf/contracts';
import { CONFIG, ConsumerHost } from '@nqpf/platform';
import {
  grantOnAssessment,
  reviseGrantOnAssessment,
  stopOnRevocation,
} from '../application/inbound/inbound-commands';
import { planRevision } from '../domain/subsidy-account/decide-grant-revision';
import type { FinanceConfig } from '../config';
import { InboundAppender, lockCenter, parkedInbound } from './inbound-appender';

/**
 * assessment.assessment-completed → the next support year's grant (A12.3);
 * assessment.assessment-revised → that grant decided again on the corrected grade (A12.3), held (parked)
 * while it would fall below what the year has disbursed, until a correction of the account takes it back;
 * assessment.center-revoked → support stops for good (A16, A17.3).
 */
@Injectable()
export class AssessmentsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AssessmentsConsumer.name);

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
      eventTypes: [
        AssessmentEventTypes.AssessmentCompleted,
        AssessmentEventTypes.AssessmentRevised,
        AssessmentEventTypes.CenterRevoked,
      ],
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
    } else if (event.type === AssessmentEventTypes.AssessmentRevised) {
      const payload = event.payload as AssessmentRevisedV1;
      const policies = await this.appender.policies(tx);
      // Entry ids derive from the revision event, so a redelivery (or a take-back) names the same entries.
      const command = reviseGrantOnAssessment(payload, policies, account!.state, {
        reversalEntryId: `regrant-reversal-${event.id}`,
        entryId: `regrant-${event.id}`,
      });
      if (!command) return;
      const plan = planRevision(command, account!.state);
      if (plan.kind === 'held') {
        this.logger.warn(
          `assessment.assessment-revised ${event.id} of center ${payload.centerId} (${payload.year}: ` +
            `${payload.previousGrade} → ${payload.grade}) is held: ${plan.because}; it is applied once a ` +
            `correction of the account (POST /accounts/${payload.centerId}/corrections) allows it ` +
            `(parked_events{schema="finance_inbound"})`,
        );
        return parkedInbound.park(tx, payload.centerId, event);
      }
      await this.appender.apply(tx, event, payload.centerId, command, account);
    } else if (event.type === AssessmentEventTypes.CenterRevoked) {
      const payload = event.payload as CenterRevokedV1;
      await this.appender.apply(tx, event, payload.centerId, stopOnRevocation(payload), account);
    }
  }

  /**
   * The center's held events tried again in `tx` (a correction's transaction, the center locked): a grade
   * revision now within what was disbursed is applied; one still beyond it is held again.
   */
  takeBackHeld(tx: PoolClient, centerId: string): Promise<void> {
    return parkedInbound.takeBack(
      tx,
      centerId,
      (held) => this.handle(held, tx),
      (held, err) =>
        this.logger.error(
          `held ${held.type} ${held.id} of center ${centerId} failed when taken back; it stays parked: ${err.message}`,
        ),
    );
  }

  /** Whether finance holds an event of the center (parked_events): a grade revision waiting for a correction. */
  async holds(db: Pool | PoolClient, centerId: string): Promise<boolean> {
    return (await parkedInbound.count(db, centerId)) > 0;
  }
}
