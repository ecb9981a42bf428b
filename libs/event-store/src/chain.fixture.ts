import type { EventEnvelope } from '@nqpf/contracts';
import { eventHash } from './hash';

/** A chain of `n` events of stream s as the store writes them: each hash over its content and link. */
export function chainOf(n: number): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let v = 1; v <= n; v++) {
    const content = {
      id: `e${v}`,
      type: 'T',
      schemaVersion: 1,
      streamId: 's',
      streamVersion: v,
      position: String(v),
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'c',
      causationId: null,
      actor: { id: 'a', role: 'system' as const },
      centerId: null,
      payload: { v },
      previousHash: events[v - 2]?.hash ?? null,
    };
    events.push({ ...content, hash: eventHash(content) });
  }
  return events;
}
