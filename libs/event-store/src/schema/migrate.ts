import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { validateSchemaName } from './schema-name';

/**
 * Creates (or completes) the store's tables in `schema`. Idempotent and safe to run from several
 * processes at once: the whole migration runs in one transaction under an advisory lock. A schema that
 * already carries this migration's mark is left alone: its DDL (create index, create trigger) would take
 * locks on the events table that wait for every write in flight and hold every new append behind them,
 * each time a replica starts.
 */
export async function migrate(pool: Pool, schema = 'event_store'): Promise<void> {
  const s = validateSchemaName(schema);
  const sql = schemaSql(s);
  const mark = `nqpf event store ${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;
  if ((await schemaMark(pool, s)) === mark) return;
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`nqpf-migrate:${s}`]);
    await client.query(sql);
    await client.query(`comment on schema ${s} is '${mark}'`);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The comment a migration leaves on the schema (undefined: none, or no schema yet). */
async function schemaMark(pool: Pool, schema: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ mark: string | null }>(
    `select obj_description(oid, 'pg_namespace') as mark from pg_namespace where nspname = $1`,
    [schema],
  );
  return rows[0]?.mark ?? undefined;
}

export function schemaSql(s: string): string {
  return `
create schema if not exists ${s};

create sequence if not exists ${s}.event_position;

-- Append-only. position: global, taken from the sequence before commit (so NOT commit-ordered);
-- transaction_id: the writer's xid, which readers use to never skip a late commit (docs/event-store.md).
create table if not exists ${s}.events (
  position        bigint      primary key,
  transaction_id  xid8        not null default pg_current_xact_id(),
  event_id        uuid        not null unique,
  stream_id       text        not null,
  stream_version  integer     not null check (stream_version >= 1),
  type            text        not null,
  schema_version  integer     not null check (schema_version >= 1),
  occurred_at     timestamptz not null,
  recorded_at     timestamptz not null,
  correlation_id  text        not null,
  causation_id    text,
  actor           jsonb       not null,
  center_id       text,
  payload         jsonb       not null,
  previous_hash   text,
  hash            text        not null,
  constraint events_stream_version_unique unique (stream_id, stream_version)
);
create index if not exists events_commit_order on ${s}.events (transaction_id, position);
create index if not exists events_center on ${s}.events (center_id, position);

create or replace function ${s}.reject_event_change() returns trigger language plpgsql as $fn$
begin
  raise exception 'events are append-only: % on %.% is not allowed', tg_op, tg_table_schema, tg_table_name
    using errcode = 'P0001';
end
$fn$;
create or replace trigger events_no_update_delete before update or delete on ${s}.events
  for each row execute function ${s}.reject_event_change();
create or replace trigger events_no_truncate before truncate on ${s}.events
  for each statement execute function ${s}.reject_event_change();

-- A service's signature over the hash of each append's last event (seal.ts); insert-only like the events.
-- One per key: a head re-sealed under a new key (reseal) keeps the seal of the key it replaces.
create table if not exists ${s}.event_seals (
  position        bigint      not null references ${s}.events (position),
  key_id          text        not null,
  signature       text        not null,
  primary key (position, key_id)
);
-- A store migrated while seals had one per event keeps its data and gets the key of today.
do $pk$ begin
  if (select array_length(indkey, 1) from pg_index
       where indrelid = '${s}.event_seals'::regclass and indisprimary) = 1 then
    alter table ${s}.event_seals drop constraint event_seals_pkey, add primary key (position, key_id);
  end if;
end $pk$;
create or replace trigger event_seals_no_update_delete before update or delete on ${s}.event_seals
  for each row execute function ${s}.reject_event_change();
create or replace trigger event_seals_no_truncate before truncate on ${s}.event_seals
  for each statement execute function ${s}.reject_event_change();

create table if not exists ${s}.outbox (
  position        bigint      primary key references ${s}.events (position),
  transaction_id  xid8        not null default pg_current_xact_id(),
  topic           text        not null,
  published_at    timestamptz
);
drop index if exists ${s}.outbox_unpublished;
create index if not exists outbox_unpublished_by_position on ${s}.outbox (position)
  where published_at is null;

create table if not exists ${s}.snapshots (
  stream_id       text        primary key,
  aggregate_type  text        not null,
  state_version   integer     not null,
  stream_version  integer     not null,
  state           jsonb       not null,
  taken_at        timestamptz not null default now()
);
`;
}
