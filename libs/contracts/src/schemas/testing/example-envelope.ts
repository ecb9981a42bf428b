import { createHash } from 'node:crypto';
import type { EventEnvelope } from '../../envelope';

/** What a decider returns for one event. */
export interface DecidedEvent {
  type: string;
  schemaVersion: number;
  payload: unknown;
}

/** Wraps a decided event in an envelope as the store would publish it (fixed ids and times). */
export function exampleEnvelope(event: DecidedEvent, centerId: string | null, n = 1): EventEnvelope {
  const fakeHash = (s: string) => createHash('sha256').update(s).digest('hex');
  return {
    id: `0190a1b2-0000-7000-8000-${String(n).padStart(12, '0')}`,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: centerId ?? 'stream-1',
    streamVersion: n,
    position: String(100 + n),
    occurredAt: '2026-03-10T02:00:00.000Z',
    recordedAt: '2026-03-10T02:00:00.123Z',
    correlationId: 'corr-1',
    causationId: null,
    actor: { id: 'user-1', role: 'city_bureau' },
    centerId,
    payload: event.payload,
    previousHash: n === 1 ? null : fakeHash(String(n - 1)),
    hash: fakeHash(String(n)),
  };
}
