import type { Actor, EventEnvelope } from '@nqpf/contracts';

/**
 * The columns every read selects, in the shape `toEnvelope` expects. `position` stays the bigint column
 * (pg returns it as a decimal string): an alias `position::text as position` would make `order by
 * position` sort the text alias — '10' before '9' — and break every keyset page.
 */
export const EVENT_COLUMNS = `position, event_id::text as event_id, stream_id, stream_version,
  type, schema_version, occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload,
  previous_hash, hash`;

export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  correlation_id: string;
  causation_id: string | null;
  actor: Actor;
  center_id: string | null;
  payload: unknown;
  previous_hash: string | null;
  hash: string;
}

export function toEnvelope(row: EventRow): EventEnvelope {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: row.position,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    actor: row.actor,
    centerId: row.center_id,
    payload: row.payload,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}
