import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { PoolClient } from 'pg';
import {
  AssessmentCompletedV1,
  AssessmentEventTypes,
  AssessmentRevisedV1,
  CenterRevokedV1,
  EventEnvelope,
  EventPayloadSchemas,
  serviceTopic,
} from '@nqpf/contracts';
import { passesByItself } from '@nqpf/messaging';
import { CONFIG, ConsumerHost } from '@nqpf/platform';
import {
  grantOnAssessment,
  reviseGrantOnAssessment,
  stopOnRevocation,
} from '../application/inbound/inbound-commands';
import { planRevision } from '../domain/subsidy-account/decide-grant-revision';
import type { FinanceConfig } from '../config';
import { heldRevisions } from './held-revisions';
import { InboundAppender, lockCenter, parkedInbound } from './inbound-appender';

/**
 * assessment.assessment-completed → the next support year's grant (A12.3);
 * assessment.assessment-revised → that grant decided again on the corrected grade (A12.3), held
 * (held-revisions.ts) while it would fall below what the year has disbursed, until a correction of the
 * account lets it apply or a later correction of the year replaces it;
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
    // Each of the three types names its center (their contracts require it).
    const { centerId } = event.payload as { centerId: string };
    await lockCenter(tx, centerId);
    const account = await this.appender.account(tx, centerId);
    const { state } = account;
    // Read before the recognition that opens the account (another topic): kept until it opens.
    if (state.status === 'none') return parkedInbound.park(tx, centerId, event);
    if (event.type === AssessmentEventTypes.AssessmentCompleted) {
      const payload = event.payload as AssessmentCompletedV1;
      const policies = await this.appender.policies(tx);
      // The grant's entry id derives from the assessment event, so a redelivery names the same entry.
      const command = grantOnAssessment(payload, policies, `grant-${event.id}`);
      if (command) await this.appender.apply(tx, event, payload.centerId, command, account);
    } else if (event.type === AssessmentEventTypes.AssessmentRevised) {
      const payload = event.payload as AssessmentRevisedV1;
      const policies = await this.appender.policies(tx);
      // Entry ids derive from the revision event, so a redelivery (or a held one applied) names the same entries.
      const command = reviseGrantOnAssessment(payload, policies, state, {
        reversalEntryId: `regrant-reversal-${event.id}`,
        entryId: `regrant-${event.id}`,
      });
      if (!command) return;
      const supportYear = command.assessedSupportYear + 1;
      const plan = planRevision(command, state);
      // This correction is the year's grade now: it replaces one held before it, whatever that would grant.
      if (plan.kind === 'held') {
        this.logger.warn(
          `assessment.assessment-revised ${event.id} of center ${payload.centerId} (${payload.year}: ` +
            `${payload.previousGrade} → ${payload.grade}) is held: ${plan.because}; it is applied once a ` +
            `correction of the account (POST /accounts/${payload.centerId}/corrections) allows it`,
        );
        return heldRevisions.hold(tx, payload.centerId, {
          supportYear,
          district: state.district,
          grantFen: plan.grantFen,
          event: event as EventEnvelope<AssessmentRevisedV1>,
        });
      }
      await heldRevisions.release(tx, payload.centerId, supportYear);
      await this.appender.apply(tx, event, payload.centerId, command, account);
    } else if (event.type === AssessmentEventTypes.CenterRevoked) {
      const payload = event.payload as CenterRevokedV1;
      await this.appender.apply(tx, event, payload.centerId, stopOnRevocation(payload), account);
      // Nothing is decided again once support stopped (A17.3: final): what was held never applies.
      await heldRevisions.release(tx, payload.centerId);
    }
  }

  /**
   * The center's held grade corrections tried again in `tx` (a correction's transaction, the center locked):
   * one now within what was disbursed is applied; one still beyond it stays held. One that fails is undone
   * alone and stays held (logged), so it cannot sink the correction that tried it.
   */
  async takeBackHeld(tx: PoolClient, centerId: string): Promise<void> {
    for (const held of await heldRevisions.of(tx, centerId)) {
      await tx.query('savepoint held_revision');
      try {
        await this.handle(held.event, tx);
        await tx.query('release savepoint held_revision');
      } catch (err) {
        if (passesByItself(err as Error)) throw err;
        await tx.query('rollback to savepoint held_revision');
        this.logger.error(
          `held ${held.event.type} ${held.event.id} of center ${centerId} failed when tried again; it stays held: ${(err as Error).message}`,
        );
      }
    }
  }
}
