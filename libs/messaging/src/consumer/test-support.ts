import type { EventEnvelope } from '@nqpf/contracts';
import { uuidv7 } from '@nqpf/contracts';

/** A well-formed envelope for tests; the store normally fills these fields. */
export function testEnvelope(centerId: string, streamVersion: number, payload: unknown = {}): EventEnvelope {
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    type: 'TestHappened',
    schemaVersion: 1,
    streamId: centerId,
    streamVersion,
    position: String(streamVersion),
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId,
    payload,
    previousHash: null,
    hash: 'test',
  };
}
