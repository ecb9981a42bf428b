import { EventEnvelope, uuidv7 } from '@nqpf/contracts';

let position = 0;

/** A published envelope for tests: the fields a consumer reads, with a fresh id and position. */
export function envelope<P>(
  type: string,
  centerId: string | null,
  payload: P,
  streamVersion = 1,
): EventEnvelope<P> {
  position += 1;
  const now = new Date().toISOString();
  return {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: centerId ?? `stream-${position}`,
    streamVersion,
    position: String(position),
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
  };
}
