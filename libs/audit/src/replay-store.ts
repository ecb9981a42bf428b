import { type DecisionRecordV1, FinanceEventTypes, type PolicyPublishedV1 } from '@nqpf/contracts';
import type { PostgresEventStore } from '@nqpf/event-store';
import type { ReplayContext } from '@nqpf/rules';
import { decisionsToReplay } from './decision-fields';
import { replayRecorded, type ReplayVerdict } from './replay-recorded';

export interface DecisionMismatch {
  store: string;
  eventId: string;
  eventType: string;
  streamId: string;
  /** The center the event is about (the audit trail's key), when it names one. */
  centerId: string | null;
  field: string;
  rule: string;
  reason: string;
}

export interface StoreReplayReport {
  store: string;
  events: number;
  decisions: number;
  matches: number;
  mismatches: DecisionMismatch[];
}

/** Every decision of every event of one store, replayed by position from one snapshot, read in pages. */
/**
 * What a replay knows besides the rules: the policies and calendars (ReplayContext), and when each policy
 * published in the stores was recorded (`publishedAt`, ISO instant by version): a version counts as in
 * force for a decision only once it was published before it. A version without one (bundled, or given by
 * the command) counts from the start.
 */
export type StoreReplayContext = ReplayContext & { publishedAt?: ReadonlyMap<string, string> };

export async function replayStore(
  name: string,
  store: PostgresEventStore,
  context: StoreReplayContext,
  pageSize = 2000,
): Promise<StoreReplayReport> {
  const report: StoreReplayReport = { store: name, events: 0, decisions: 0, matches: 0, mismatches: [] };
  await store.scanAll((page) => {
    for (const event of page) {
      report.events += 1;
      const where = {
        store: name,
        eventId: event.id,
        eventType: event.type,
        streamId: event.streamId,
        centerId: event.centerId,
      };
      for (const found of decisionsToReplay(event.type, event.payload)) {
        report.decisions += 1;
        const verdict =
          'decision' in found
            ? (wrongPolicy(found.decision, found.policyOn, event.recordedAt, context) ??
              replayRecorded(found.decision, context))
            : { match: false as const, reason: found.problem };
        if (verdict.match) report.matches += 1;
        else
          report.mismatches.push({ ...where, field: found.field, rule: found.rule, reason: verdict.reason });
      }
    }
  }, pageSize);
  return report;
}

/**
 * A decision naming another policy than the one in force on its day, among the versions published before
 * the decision was recorded (a version published later that day, effective the same day as finance once
 * allowed, was not the one to apply then).
 */
function wrongPolicy(
  decision: DecisionRecordV1,
  day: string | undefined,
  recordedAt: string,
  context: StoreReplayContext,
): ReplayVerdict | undefined {
  if (day === undefined) return undefined;
  const known = context.policies
    .versions()
    .map((v) => context.policies.get(v))
    .filter((p) => p.effectiveFrom <= day)
    .filter((p) => {
      const published = context.publishedAt?.get(p.version);
      return published === undefined || Date.parse(published) < Date.parse(recordedAt);
    });
  if (known.length === 0) return { match: false, reason: `no policy known in force on ${day}` };
  const inForce = known.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a)).version;
  return inForce === decision.policyVersion
    ? undefined
    : {
        match: false,
        reason: `decided under ${decision.policyVersion}, but ${inForce} was in force on ${day}`,
      };
}

/**
 * The policies the bureau published (finance's policy book), as stored: the versions recorded decisions
 * may name besides the bundled default. Raw rows, so an unreadable payload is still reported by the caller.
 */
export async function publishedPolicies(
  store: PostgresEventStore,
): Promise<(PolicyPublishedV1 & { recordedAt: string })[]> {
  const { rows } = await store.pool.query<{ payload: PolicyPublishedV1; recorded_at: Date }>(
    `select payload, recorded_at from ${store.schema}.events where type = $1 order by position`,
    [FinanceEventTypes.PolicyPublished],
  );
  return rows.map((r) => ({ ...r.payload, recordedAt: r.recorded_at.toISOString() }));
}
