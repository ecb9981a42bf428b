import type { Kafka } from 'kafkajs';
import {
  CenterRecognizedV1,
  EventEnvelope,
  FinanceEventTypes,
  ReportingEventTypes,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
} from '@nqpf/contracts';
import {
  DEFAULT_POLICY,
  decideAnnualReportDue,
  decideQuarterlyReportDue,
  defaultPolicy,
  quarterEnd,
} from '@nqpf/rules';
import { KafkaEventPublisher, toWire } from '@nqpf/messaging';

/**
 * An event as another service's store would publish it, for a consumer under test: its own id, now, the
 * producing service as actor, stream `<service>-<centerId>` unless given.
 */
export function foreignEvent<P>(
  type: string,
  centerId: string,
  payload: P,
  streamId = `${type.split('.')[0]}-${centerId}`,
): EventEnvelope<P> {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    position: '1',
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: type.split('.')[0]!, role: 'system' },
    centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
  };
}

/** Test seam: publishes an event as another service would (e.g. review.center-recognized). */
export async function publishEvent(
  kafka: Kafka,
  topic: string,
  type: string,
  payload: Record<string, unknown>,
  envelopeFields: Partial<EventEnvelope> = {},
): Promise<EventEnvelope> {
  const now = new Date().toISOString();
  const centerId = typeof payload.centerId === 'string' ? payload.centerId : null;
  const envelope: EventEnvelope = {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: `test-${centerId ?? type}`,
    streamVersion: 1,
    position: '1',
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
    ...envelopeFields,
  };
  // A topic created a moment ago may not be known to the broker's metadata yet: retry for a while.
  for (let attempt = 1; ; attempt += 1) {
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, [toWire(envelope)]);
      return envelope;
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await publisher.disconnect().catch(() => undefined);
    }
  }
}

/** review.center-recognized's payload (contract v1), for services that start from a center. */
export function recognitionPayload(
  centerId: string,
  district: string,
  recognitionDate = '2026-03-10',
): CenterRecognizedV1 {
  return {
    centerId,
    recognitionDate,
    district,
    operator: { accountId: `op-${centerId}`, name: '运营公司', creditCode: '91220101MA14ABCD0Y' },
    callId: 'call-1',
  };
}

/** review.center-recognized as review publishes it. */
export function publishRecognition(
  kafka: Kafka,
  topicPrefix: string,
  centerId: string,
  district: string,
  recognitionDate = '2026-03-10',
): Promise<EventEnvelope> {
  return publishEvent(kafka, serviceTopic('review', topicPrefix), ReviewEventTypes.CenterRecognized, {
    ...recognitionPayload(centerId, district, recognitionDate),
  });
}

/**
 * reporting.report-due-scheduled for the periods reporting (under the default policy) has scheduled by
 * `today` for a center recognised on `recognizedOn`: from the quarter and the year of recognition, each next
 * one once the previous one's deadline has passed. Assessment grades only from a copy that holds them.
 */
export async function publishReportSchedule(
  kafka: Kafka,
  topicPrefix: string,
  centerId: string,
  recognizedOn: string,
  today: string,
): Promise<void> {
  const topic = serviceTopic('reporting', topicPrefix);
  const publish = (
    kind: 'quarterly' | 'annual',
    period: string,
    periodEnd: string,
    follows: string | null,
    decision: { outcome: { dueDate: string } },
  ) =>
    publishEvent(kafka, topic, ReportingEventTypes.ReportDueScheduled, {
      centerId,
      kind,
      period,
      periodEnd,
      dueOn: decision.outcome.dueDate,
      follows,
      decision,
    });
  let [year, quarter] = [Number(recognizedOn.slice(0, 4)), Math.ceil(Number(recognizedOn.slice(5, 7)) / 3)];
  for (
    let follows: string | null = null;
    ;
    [year, quarter] = quarter === 4 ? [year + 1, 1] : [year, quarter + 1]
  ) {
    const decision = decideQuarterlyReportDue({ year, quarter }, defaultPolicy);
    await publish('quarterly', `${year}-Q${quarter}`, quarterEnd(year, quarter), follows, decision);
    if (decision.outcome.dueDate >= today) break;
    follows = `${year}-Q${quarter}`;
  }
  for (let reportYear = Number(recognizedOn.slice(0, 4)), follows: string | null = null; ; reportYear += 1) {
    const decision = decideAnnualReportDue({ reportYear }, defaultPolicy);
    await publish('annual', `${reportYear}`, `${reportYear}-12-31`, follows, decision);
    if (decision.outcome.dueDate >= today) break;
    follows = `${reportYear}`;
  }
}

/**
 * finance.policy-published of a later version, `later-<year>`, effective on `effectiveFrom`: a 3-year
 * operating deadline (A17.3a) and 2 support years (A12.1), so a decision shows which version it used.
 */
export function laterPolicy(effectiveFrom: string): EventEnvelope {
  const version = `later-${effectiveFrom.slice(0, 4)}`;
  const policy = { ...DEFAULT_POLICY, version, effectiveFrom, operatingDeadlineYears: 3, supportYears: 2 };
  return foreignEvent(FinanceEventTypes.PolicyPublished, 'finance-policy', {
    version,
    effectiveFrom,
    publishedOn: effectiveFrom,
    policy,
    reason: 'a later version, for tests',
  });
}
