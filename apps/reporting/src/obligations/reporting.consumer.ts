import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { PoolClient } from 'pg';
import {
  type ApplicationFactsV1,
  AssessmentEventTypes,
  CenterRevokedV1,
  EventEnvelope,
  EventPayloadSchemas,
  ReviewEventTypes,
  serviceTopic,
} from '@nqpf/contracts';
import { Clock, CONFIG, ConsumerHost, PublishedPolicies } from '@nqpf/platform';
import { shanghaiToday, type Policy } from '@nqpf/rules';
import type { ReportingConfig } from '../config';
import { ObligationsExecutor } from './obligations.executor';
import { REPORTING_SYSTEM } from './obligations.stream';

/**
 * review.center-recognized as this service reads it: CenterRecognizedV1 (recognitionDate, operator.accountId)
 * or the shorter shape (recognizedOn, operatorId); `facts` (art. 6) when present becomes the A16 baseline.
 */
interface RecognitionPayload {
  centerId: string;
  district: string;
  recognitionDate?: string;
  recognizedOn?: string;
  operator?: { accountId?: string };
  operatorId?: string;
  policyVersion?: string;
  facts?: ApplicationFactsV1;
}

/**
 * Opens a center's obligations on recognition and ends them on revocation, once per event (inbox). The
 * two come on different topics, in no order: a revocation read first is recorded on the center's stream,
 * and the recognition then opens it ended (decide-open.ts); both write the one stream, so they serialise.
 */
@Injectable()
export class ReportingConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: ReportingConfig,
    private readonly consumers: ConsumerHost,
    private readonly executor: ObligationsExecutor,
    private readonly clock: Clock,
    private readonly policies: PublishedPolicies,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const topics = [serviceTopic('review', prefix), serviceTopic('assessment', prefix)];
    await this.consumers.start({
      groupId: `${prefix}.reporting.obligations`,
      topics,
      fromBeginning: true,
      validate: EventPayloadSchemas,
      eventTypes: [ReviewEventTypes.CenterRecognized, AssessmentEventTypes.CenterRevoked],
      handle: (event, tx) => this.handle(event, tx),
    });
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const meta = {
      actor: REPORTING_SYSTEM,
      correlationId: event.correlationId,
      causationId: event.id,
      occurredAt: this.clock.now().toISOString(),
    };
    if (event.type === ReviewEventTypes.CenterRecognized) {
      const p = event.payload as RecognitionPayload;
      const recognizedOn = p.recognitionDate ?? p.recognizedOn ?? '';
      await this.executor.run(
        p.centerId,
        {
          kind: 'open',
          centerId: p.centerId,
          district: p.district,
          operatorId: p.operator?.accountId ?? p.operatorId ?? '',
          recognizedOn,
          facts: p.facts ?? null,
          policy: await this.policies.ofRecognition(p.policyVersion, recognizedOn, tx),
          policyOn: await this.policyOn(shanghaiToday(this.clock.now()), tx),
        },
        meta,
        { tx },
      );
    } else if (event.type === AssessmentEventTypes.CenterRevoked) {
      const p = event.payload as CenterRevokedV1;
      await this.executor.run(
        p.centerId,
        {
          kind: 'end-obligations',
          centerId: p.centerId,
          endedOn: p.revokedOn,
          ruleId: p.ruleId,
          reason: p.reason,
          policy: await this.policies.inForceOn(p.revokedOn, tx),
          policyOn: await this.policyOn(p.revokedOn, tx),
        },
        meta,
        { tx },
      );
    }
  }

  /** The versions in force on each day up to `date`: the report periods owed until a revocation. */
  private async policyOn(date: string, tx: PoolClient): Promise<(day: string) => Policy> {
    const registry = await this.policies.inForceUpTo(date, tx);
    return (day) => registry.inForceOn(day);
  }
}
