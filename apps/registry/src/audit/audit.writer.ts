import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { toStreamTrailEntry, toTrailEntry } from './trail-entry';

/**
 * Adds an event to its center's trail. Idempotent, so it needs no inbox: the row is keyed by the event id, and
 * the district moves only forward in recorded time, so a redelivered older event cannot take it back. A row
 * kept before the trail kept payloads gets its payload when its event is read again (nothing else changes).
 */
export async function applyAuditEvent(event: EventEnvelope, db: PoolClient): Promise<void> {
  const entry = toTrailEntry(event);
  if (!entry) return;
  // One statement. A3: the district changes only through an art. 16 event, which names the new one; the
  // latest recorded wins.
  await db.query(
    `with trail as (
       insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at,
         recorded_at, actor, reason, decisions, payload)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13)
       on conflict (event_id) do update set payload = excluded.payload where audit.trail.payload is null)
     insert into audit.center_districts as d (center_id, district, recorded_at)
     select $3, $12::text, $8 where $12::text is not null
     on conflict (center_id) do update set district = excluded.district, recorded_at = excluded.recorded_at
     where d.recorded_at is null or d.recorded_at <= excluded.recorded_at`,
    [
      entry.eventId,
      entry.topic,
      entry.centerId,
      entry.type,
      entry.streamId,
      entry.streamVersion,
      entry.occurredAt,
      entry.recordedAt,
      JSON.stringify(entry.actor),
      entry.reason,
      JSON.stringify(entry.decisions),
      entry.district ?? null,
      JSON.stringify(entry.payload),
    ],
  );
}

/** Adds an event about no center (a call, an expert, a policy) to the stream trail; idempotent as applyAuditEvent. */
export async function applyStreamAuditEvent(event: EventEnvelope, db: PoolClient): Promise<void> {
  const entry = toStreamTrailEntry(event);
  if (!entry) return;
  await db.query(
    `insert into audit.stream_trail (event_id, topic, type, stream_id, stream_version, occurred_at, recorded_at,
       actor, reason, decisions, payload)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (event_id) do update set payload = excluded.payload where audit.stream_trail.payload is null`,
    [
      entry.eventId,
      entry.topic,
      entry.type,
      entry.streamId,
      entry.streamVersion,
      entry.occurredAt,
      entry.recordedAt,
      JSON.stringify(entry.actor),
      entry.reason,
      JSON.stringify(entry.decisions),
      JSON.stringify(entry.payload),
    ],
  );
}
