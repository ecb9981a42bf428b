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
export async function replayStore(
  name: string,
  store: PostgresEventStore,
  context: ReplayContext,
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
            ? (wrongPolicy(found.decision, found.policyOn, context) ??
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

/** A decision naming another policy than the one in force on its day (as far as this replay knows them). */
function wrongPolicy(
  decision: DecisionRecordV1,
  day: string | undefined,
  context: ReplayContext,
): ReplayVerdict | undefined {
  if (day === undefined) return undefined;
  let inForce: string;
  try {
    inForce = context.policies.inForceOn(day).version;
  } catch (err) {
    return { match: false, reason: `no policy known in force on ${day}: ${(err as Error).message}` };
  }
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
export async function publishedPolicies(store: PostgresEventStore): Promise<PolicyPublishedV1[]> {
  const { rows } = await store.pool.query<{ payload: PolicyPublishedV1 }>(
    `select payload from ${store.schema}.events where type = $1 order by position`,
    [FinanceEventTypes.PolicyPublished],
  );
  return rows.map((r) => r.payload);
}
