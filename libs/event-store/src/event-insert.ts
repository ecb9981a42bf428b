import type { EventEnvelope } from '@nqpf/contracts';

/**
 * The insert of event rows every write path uses (append, refill): one row per array element of
 * parameters $1..$15 (eventRowValues), actor and payload as the JSON text that was hashed.
 */
export function insertEventsSql(schema: string): string {
  return `insert into ${schema}.events (position, event_id, stream_id, stream_version, type, schema_version,
      occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
    select * from unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[],
      $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::jsonb[],
      $14::text[], $15::text[])`;
}

export function eventRowValues(
  events: EventEnvelope[],
  actorJsons: string[],
  payloadJsons: string[],
): unknown[] {
  const column = <T>(pick: (e: EventEnvelope) => T): T[] => events.map(pick);
  return [
    column((e) => e.position),
    column((e) => e.id),
    column((e) => e.streamId),
    column((e) => e.streamVersion),
    column((e) => e.type),
    column((e) => e.schemaVersion),
    column((e) => e.occurredAt),
    column((e) => e.recordedAt),
    column((e) => e.correlationId),
    column((e) => e.causationId),
    actorJsons,
    column((e) => e.centerId),
    payloadJsons,
    column((e) => e.previousHash),
    column((e) => e.hash),
  ];
}
