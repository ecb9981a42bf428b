import { EventEnvelope, uuidv7 } from '@nqpf/contracts';

let position = 0;

/** A published envelope for tests: the fields a consumer reads, with a fresh id and position. */
export function envelope<P>(
  type: string,
  centerId: string | null,
  payload: P,
  streamVersion = 1,
  recordedAt = new Date().toISOString(),
): EventEnvelope<P> {
  position += 1;
  const id = uuidv7();
  return {
    id,
    type,
    schemaVersion: 1,
    // Its own stream: a projection skips an event whose stream version it has already applied.
    streamId: `fixture-${id}`,
    streamVersion,
    position: String(position),
    occurredAt: recordedAt,
    recordedAt,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
  };
}
