import type { Queryable } from '@nqpf/event-store';

/**
 * audit.trail: one row per event about a center, in the order the consumer received them (`seq`); a
 * center's events of one topic share a partition, so within a topic `seq` follows the Kafka offsets.
 * audit.center_districts: the district-level unit each center belongs to, for district offices' scope, as
 * named by the latest recorded event that names one.
 */
export async function migrateAuditTrail(db: Queryable): Promise<void> {
  await db.query(`create schema if not exists audit`);
  await db.query(`create table if not exists audit.trail (
    seq bigserial primary key,
    event_id text not null unique,
    topic text not null,
    center_id text not null,
    type text not null,
    stream_id text not null,
    stream_version int not null,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null,
    actor jsonb not null,
    reason text,
    decisions jsonb not null)`);
  await db.query(`create index if not exists trail_by_center on audit.trail (center_id, seq)`);
  await db.query(`create table if not exists audit.center_districts (
    center_id text primary key,
    district text not null)`);
  // The recordedAt of the event that named the district: a redelivered older event must not win.
  await db.query(`alter table audit.center_districts add column if not exists recorded_at timestamptz`);
}
