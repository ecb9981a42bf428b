import { FinanceEventTypes, type PolicyPublishedV1 } from '@nqpf/contracts';
import type { PostgresEventStore } from '@nqpf/event-store';
import { StoreReplay, type StoreReplayContext, type StoreReplayReport } from './replay-events';

export type { DecisionMismatch, StoreReplayContext, StoreReplayReport } from './replay-events';

/** Every decision of every event of one store, replayed by position from one snapshot, read in pages. */
export async function replayStore(
  name: string,
  store: PostgresEventStore,
  context: StoreReplayContext,
  pageSize = 2000,
): Promise<StoreReplayReport> {
  const replay = new StoreReplay(name, context);
  await store.scanAll((page) => page.forEach((event) => replay.take(event)), pageSize);
  return replay.finish();
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
