import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  EventEnvelope,
  MajorChangeEvaluatedV1,
  OperatingDeadlinePassedV1,
  OperationStartedV1,
  EventPayloadSchemas,
  ReportingEventTypes,
  ReviewEventTypes,
  serviceTopic,
} from '@nqpf/contracts';
import { Clock, CONFIG, ConsumerHost, PG_POOL, PublishedPolicies } from '@nqpf/platform';
import { retryParkedInBackground } from '@nqpf/messaging';
import type { AssessmentConfig } from '../config';
import { TrackedCenter } from '../domain/center/center.types';
import { applyReportingEvent, lockCenter, parkedEvents, REPORTING_COPY_TYPES } from './assessment.store';
import { CenterExecutor } from './center.executor';
import { ASSESSMENT_SYSTEM } from './center.stream';
import { centersGroupId } from './reporting-copy';

/** review.center-recognized as read here: CenterRecognizedV1, or the shorter (recognizedOn, operatorId). */
interface RecognitionPayload {
  centerId: string;
  district: string;
  recognitionDate?: string;
  recognizedOn?: string;
  operator?: { accountId?: string };
  operatorId?: string;
  policyVersion?: string;
}

/**
 * Follows recognised centers (review), their confirmed operation start, the operating deadline passing
 * without a start in time (reporting's fact: A17.3a is decided here on it, with no timer of its own) and
 * major-change re-checks (reporting) into the center aggregate, and keeps the assessment inputs
 * (activities, reports) — once per event (inbox). An event about a center not tracked yet is parked until
 * its recognition, each path under the center's lock (lockCenter).
 */
@Injectable()
export class AssessmentConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AssessmentConsumer.name);

  constructor(
    @Inject(CONFIG) private readonly config: AssessmentConfig,
    private readonly consumers: ConsumerHost,
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
    private readonly policies: PublishedPolicies,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  private readonly parkedFailed = (parked: EventEnvelope, err: Error) =>
    this.logger.error(
      `parked ${parked.type} ${parked.id} of center ${parked.centerId} failed once the center was tracked; ` +
        `it stays parked (parked_events{schema="assessment"}): ${err.message}`,
    );

  /** Parked events tried again (ParkedEvents.retryAll): after a fix, a restart applies what had failed. */
  retryParked(): Promise<{ key: string; error: Error }[]> {
    return parkedEvents.retryAll(
      this.pool,
      lockCenter,
      (event, tx) => this.handle(event, tx),
      this.parkedFailed,
    );
  }

  /** The version the center was tracked under (in force on its recognition date). */
  private recognitionPolicy(center: TrackedCenter, tx: PoolClient) {
    return this.policies.version(center.policyVersion, tx);
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const topics = [serviceTopic('review', prefix), serviceTopic('reporting', prefix)];
    await this.consumers.start({
      groupId: centersGroupId(prefix),
      topics,
      fromBeginning: true,
      validate: EventPayloadSchemas,
      // The others are passed over unread: one it has no use for is never its to dead-letter.
      eventTypes: [
        ReviewEventTypes.CenterRecognized,
        ReportingEventTypes.OperationStarted,
        ReportingEventTypes.OperatingDeadlinePassed,
        ReportingEventTypes.MajorChangeEvaluated,
        ...REPORTING_COPY_TYPES,
      ],
      handle: (event, tx) => this.handle(event, tx),
    });
    retryParkedInBackground(
      () => this.retryParked(),
      (message) => this.logger.error(message),
    );
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    const meta = {
      actor: ASSESSMENT_SYSTEM,
      correlationId: event.correlationId,
      causationId: event.id,
      occurredAt: this.clock.now().toISOString(),
    };
    switch (event.type) {
      case ReviewEventTypes.CenterRecognized: {
        const p = event.payload as RecognitionPayload;
        const recognizedOn = p.recognitionDate ?? p.recognizedOn ?? '';
        await lockCenter(tx, p.centerId);
        await this.executor.run(
          p.centerId,
          {
            kind: 'track',
            centerId: p.centerId,
            district: p.district,
            operatorId: p.operator?.accountId ?? p.operatorId ?? '',
            recognizedOn,
            policy: await this.policies.ofRecognition(p.policyVersion, recognizedOn, tx),
          },
          meta,
          { tx },
        );
        await parkedEvents.takeBack(tx, p.centerId, (parked) => this.handle(parked, tx), this.parkedFailed);
        return;
      }
      case ReportingEventTypes.OperationStarted: {
        const p = event.payload as OperationStartedV1;
        const loaded = await this.trackedOrPark(p.centerId, event, tx);
        if (!loaded) return;
        await this.executor.run(
          p.centerId,
          {
            kind: 'record-operation-start',
            startedOn: p.startedOn,
            confirmedOn: p.confirmedOn,
            policy: await this.recognitionPolicy(loaded.state, tx),
          },
          meta,
          { tx, loaded },
        );
        return;
      }
      case ReportingEventTypes.OperatingDeadlinePassed: {
        const p = event.payload as OperatingDeadlinePassedV1;
        const loaded = await this.trackedOrPark(p.centerId, event, tx);
        if (!loaded) return;
        await this.executor.run(
          p.centerId,
          {
            kind: 'act-on-operating-deadline-passed',
            operatingDeadline: p.operatingDeadline,
            passedOn: p.passedOn,
            cause: p.cause,
            policy: await this.recognitionPolicy(loaded.state, tx),
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
            evaluatedOn: p.evaluatedOn,
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

  /**
   * The center's stream if it is tracked; otherwise the event is parked until its recognition arrives.
   * Under the center's lock, so that a recognition committing meanwhile either is seen here or takes the
   * parked event back.
   */
  private async trackedOrPark(centerId: string, event: EventEnvelope, tx: PoolClient) {
    await lockCenter(tx, centerId);
    const loaded = await this.executor.load(centerId, tx);
    if (loaded.state.status !== 'none') return { ...loaded, state: loaded.state };
    await parkedEvents.park(tx, centerId, event);
    return null;
  }
}
