import type { Pool } from 'pg';
import { runDdl } from '@nqpf/messaging';

/**
 * audit.trail: one row per event about a center, in the order the consumer received them (`seq`); a
 * center's events of one topic share a partition, so within a topic `seq` follows the Kafka offsets. Rows
 * are never deleted, and `seq` and `recorded_at` never change (a page's cursor names a row by its `seq`).
 * audit.center_districts: the district-level unit each center belongs to, for district offices' scope, as
 * named by the latest recorded event that names one.
 */
export async function migrateAuditTrail(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `create schema if not exists audit;
     create table if not exists audit.trail (
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
       decisions jsonb not null);
     -- Indexes built once, where missing: even "if not exists" takes a share lock on the table, behind every
     -- write in flight and holding the next ones. trail_by_type: GET /audit/centers, the lines of some types
     -- over a period, city-wide, by recorded time then seq (its pages' keyset). trail_by_center_topic: GET
     -- /audit/centers/:centerId, each topic's next lines of a center after a page's position, in the order
     -- received (seq), with what the types and period filter on beside them, so the page's keys come from
     -- the index alone (audit.query.ts centerTrail).
     do $$ begin
       if to_regclass('audit.trail_by_center') is null then
         create index trail_by_center on audit.trail (center_id, seq);
       end if;
       if to_regclass('audit.trail_by_type') is null then
         create index trail_by_type on audit.trail (type, recorded_at, seq);
       end if;
       if to_regclass('audit.trail_by_center_topic') is null then
         create index trail_by_center_topic on audit.trail (center_id, topic, seq) include (recorded_at, type);
       end if; end $$;
     -- Decisions about no center (calls, experts, the policy book), by stream.
     create table if not exists audit.stream_trail (
       seq bigserial primary key,
       event_id text not null unique,
       topic text not null,
       type text not null,
       stream_id text not null,
       stream_version int not null,
       occurred_at timestamptz not null,
       recorded_at timestamptz not null,
       actor jsonb not null,
       reason text,
       decisions jsonb not null);
     do $$ begin
       if to_regclass('audit.stream_trail_by_type') is null then
         create index stream_trail_by_type on audit.stream_trail (type, recorded_at);
       end if; end $$;
     create table if not exists audit.center_districts (
       center_id text primary key,
       district text not null);
     -- The recordedAt of the event that named the district: a redelivered older event must not win. Added
     -- once: even "if not exists" locks the table exclusively, behind every read in flight.
     do $$ begin
       if not exists (select 1 from information_schema.columns where table_schema = 'audit'
           and table_name = 'center_districts' and column_name = 'recorded_at') then
         alter table audit.center_districts add column recorded_at timestamptz;
       end if; end $$;
     -- What each event records besides its decisions (trail-entry.ts withoutDecisions); null on rows kept
     -- before it, until the consumer (a group of its own since) reads their events again. Added once, as above.
     do $$ begin
       if not exists (select 1 from information_schema.columns where table_schema = 'audit'
           and table_name = 'trail' and column_name = 'payload') then
         alter table audit.trail add column payload jsonb;
       end if;
       if not exists (select 1 from information_schema.columns where table_schema = 'audit'
           and table_name = 'stream_trail' and column_name = 'payload') then
         alter table audit.stream_trail add column payload jsonb;
       end if; end $$;`,
  );
}
