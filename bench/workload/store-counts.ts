import type { Stack } from './stack';

/** Events each write service's store holds. */
export async function eventCounts(stack: Stack): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, s] of Object.entries(stack.services)) {
    const { rows } = await s.db.pool.query<{ n: string }>('select count(*) as n from event_store.events');
    counts[name] = Number(rows[0]!.n);
  }
  return counts;
}

/** Waits until every outbox row is acknowledged by Kafka (the relays publish on their own). */
export async function waitForOutboxes(stack: Stack, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let backlog = 0;
    for (const s of Object.values(stack.services)) {
      const { rows } = await s.db.pool.query<{ n: string }>(
        'select count(*) as n from event_store.outbox where published_at is null',
      );
      backlog += Number(rows[0]!.n);
    }
    if (backlog === 0) return;
    if (Date.now() > deadline) throw new Error(`outboxes still hold ${backlog} unpublished events`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
