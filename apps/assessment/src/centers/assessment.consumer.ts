import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { PoolClient } from 'pg';
import {
  EventEnvelope,
  MajorChangeEvaluatedV1,
  OperationStartedV1,
  OperationStartRejectedV1,
  EventPayloadSchemas,
  ReportingEventTypes,
  ReviewEventTypes,
  serviceTopic,
} from '@nqpf/contracts';
import { Clock, CONFIG, ConsumerHost, PublishedPolicies } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import type { AssessmentConfig } from '../config';
import { applyReportingEvent, clearDeclaredStart, parkedEvents } from './assessment.store';
import { CenterExecutor } from './center.executor';
import { ASSESSMENT_SYSTEM } from './center.stream';

/** review.center-recognized as read here: CenterRecognizedV1, or the shorter (recognizedOn, operatorId). */
interface RecognitionPayload {
  centerId: string;
  district: string;
  recognitionDate?: string;
  recognizedOn?: string;
  operator?: { accountId?: string };
  operatorId?: string;
}

/**
 * Follows recognised centers (review), their operation start (declared, rejected, confirmed) and
 * major-change re-checks (reporting) into the center aggregate, and keeps the assessment inputs
 * (activities, reports) — once per event (inbox).
 */
@Injectable()
export class AssessmentConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: AssessmentConfig,
    private readonly consumers: ConsumerHost,
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
    private readonly policies: PublishedPolicies,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const topics = [serviceTopic('review', prefix), serviceTopic('reporting', prefix)];
    await this.consumers.start({
      groupId: `${prefix}.assessment.centers`,
      topics,
      fromBeginning: true,
      validate: EventPayloadSchemas,
      handle: (event, tx) => this.handle(event, tx),
    });
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const now = this.clock.now();
    const today = shanghaiToday(now);
    const meta = {
      actor: ASSESSMENT_SYSTEM,
      correlationId: event.correlationId,
      causationId: event.id,
      occurredAt: now.toISOString(),
    };
    switch (event.type) {
      case ReviewEventTypes.CenterRecognized: {
        const p = event.payload as RecognitionPayload;
        const recognizedOn = p.recognitionDate ?? p.recognizedOn ?? '';
        await this.executor.run(
          p.centerId,
          {
            kind: 'track',
            centerId: p.centerId,
            district: p.district,
            operatorId: p.operator?.accountId ?? p.operatorId ?? '',
            recognizedOn,
            policy: await this.policies.inForceOn(recognizedOn, tx),
          },
          meta,
          { tx },
        );
        for (const parked of await parkedEvents.take(tx, p.centerId)) await this.handle(parked, tx);
        return;
      }
      case ReportingEventTypes.OperationStarted: {
        const p = event.payload as OperationStartedV1;
        await clearDeclaredStart(tx, p.centerId);
        const loaded = await this.trackedOrPark(p.centerId, event, tx);
        if (!loaded) return;
        await this.executor.run(
          p.centerId,
          {
            kind: 'record-operation-start',
            startedOn: p.startedOn,
            today,
            policy: await this.policies.inForceOn(today, tx),
          },
          meta,
          { tx, loaded },
        );
        return;
      }
      case ReportingEventTypes.OperationStartRejected: {
        const p = event.payload as OperationStartRejectedV1;
        await clearDeclaredStart(tx, p.centerId);
        // Not parked: a center not tracked yet has no deadline; the timer will read the cleared declaration.
        const loaded = await this.executor.load(p.centerId, tx);
        if (loaded.state.status === 'none') return;
        await this.executor.run(
          p.centerId,
          {
            kind: 'note-operation-start-rejected',
            startedOn: p.startedOn,
            today,
            policy: await this.policies.inForceOn(today, tx),
          },
          meta,
          { tx, loaded },
        );
        return;
      }
      case ReportingEventTypes.MajorChangeEvaluated: {
        const p = event.payload as MajorChangeEvaluatedV1;
        const loaded = await this.trackedOrPark(p.centerId, event, tx);
        if (!loaded) return;
        await this.executor.run(
          p.centerId,
          {
            kind: 'act-on-major-change',
            changeId: p.changeId,
            stillEligible: p.stillEligible,
            decision: p.decision,
            today,
          },
          meta,
          { tx, loaded },
        );
        return;
      }
      default:
        await applyReportingEvent(tx, event);
    }
  }

  /** The center's stream if it is tracked; otherwise the event is parked until its recognition arrives. */
  private async trackedOrPark(centerId: string, event: EventEnvelope, tx: PoolClient) {
    const loaded = await this.executor.load(centerId, tx);
    if (loaded.state.status !== 'none') return loaded;
    await parkedEvents.park(tx, centerId, event);
    return null;
  }
}
