import type { Pool, PoolClient } from 'pg';
import { ScopeFilter, scopeToSql } from '@nqpf/auth';
import { runDdl } from '@nqpf/messaging';
import type { ApplicationState } from '../../domain/application/application.decider';

/**
 * intake.applications: one row per application, the list view of its state, written in the transaction
 * that appends its events (so a list never shows a state the stream does not have).
 */
export async function migrateApplicationRows(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists intake;
    create table if not exists intake.applications (
      application_id text primary key,
      call_id text not null,
      district text not null,
      status text not null,
      operator_name text not null,
      revision integer not null,
      version integer not null,
      updated_at timestamptz not null
    );
    -- Indexes built once, where missing: even "if not exists" takes a share lock on the table, behind every
    -- write in flight and holding the next ones. applications_updated: the list's order (oldest change
    -- first), so a page is read in order, not every row sorted.
    do $$ begin
      if to_regclass('intake.applications_district_status') is null then
        create index applications_district_status on intake.applications (district, status);
      end if;
      if to_regclass('intake.applications_status') is null then
        create index applications_status on intake.applications (status);
      end if;
      if to_regclass('intake.applications_updated') is null then
        create index applications_updated on intake.applications (updated_at, application_id);
      end if; end $$;
  `,
  );
}

export interface ApplicationRow {
  applicationId: string;
  callId: string;
  district: string;
  status: string;
  operatorName: string;
  revision: number;
  version: number;
  updatedAt: string;
}

type Existing = Exclude<ApplicationState, { status: 'none' }>;

/** Writes the row for a state at a stream version; an older version never overwrites a newer one. */
export async function upsertApplicationRow(
  tx: Pick<PoolClient, 'query'>,
  state: Existing,
  version: number,
  at: string,
): Promise<void> {
  await tx.query(
    `insert into intake.applications
       (application_id, call_id, district, status, operator_name, revision, version, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (application_id) do update set
       call_id = excluded.call_id, district = excluded.district, status = excluded.status,
       operator_name = excluded.operator_name, revision = excluded.revision,
       version = excluded.version, updated_at = excluded.updated_at
     where intake.applications.version < excluded.version`,
    [
      state.applicationId,
      state.callId,
      state.district,
      state.status,
      state.facts.operator.name,
      state.revision,
      version,
      at,
    ],
  );
}

export interface ApplicationListFilter {
  status?: string[];
  district?: string;
  callId?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

/**
 * One page of the rows the scope allows and the filter matches, oldest change first, and their count. The
 * count is a subquery of its own, not a window over the rows (which read and sorted every row for a page),
 * in the same statement: the total and the page are of one snapshot.
 */
export async function listApplicationRows(
  db: Pick<Pool, 'query'>,
  scope: ScopeFilter,
  filter: ApplicationListFilter,
  page: Page,
): Promise<{ total: number; items: ApplicationRow[] }> {
  const scoped = scopeToSql(scope, { district: 'district', centerId: 'application_id' });
  const params: unknown[] = [...scoped.params];
  const parts = [scoped.where];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.status?.length) add((p) => `status = any(${p})`, filter.status);
  if (filter.district !== undefined) add((p) => `district = ${p}`, filter.district);
  if (filter.callId !== undefined) add((p) => `call_id = ${p}`, filter.callId);
  const where = parts.map((p) => `(${p})`).join(' and ');
  params.push(page.limit, page.offset);
  const { rows } = await db.query<Record<string, unknown>>(
    `select application_id, call_id, district, status, operator_name, revision, version, updated_at,
            (select count(*) from intake.applications where ${where}) as total
       from intake.applications where ${where}
      order by updated_at, application_id
      limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  let total = rows.length > 0 ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page.offset > 0) {
    const counted = await db.query<{ n: string }>(
      `select count(*) as n from intake.applications where ${where}`,
      params.slice(0, -2),
    );
    total = Number(counted.rows[0].n);
  }
  return {
    total,
    items: rows.map((r) => ({
      applicationId: String(r.application_id),
      callId: String(r.call_id),
      district: String(r.district),
      status: String(r.status),
      operatorName: String(r.operator_name),
      revision: Number(r.revision),
      version: Number(r.version),
      updatedAt: (r.updated_at as Date).toISOString(),
    })),
  };
}

/** Application streams whose row is missing or behind (rows written before this table existed). */
export async function staleApplicationStreams(
  db: Pick<Pool, 'query'>,
): Promise<{ streamId: string; lastChangedAt: string }[]> {
  // The row by its key (the stream id less its prefix), through the primary key: the prefix added to each
  // row's key instead compared every row with every stream (half a minute at 20 000, before the port opens).
  const { rows } = await db.query<{ stream_id: string; last_changed_at: Date }>(
    `select e.stream_id, max(e.occurred_at) as last_changed_at from event_store.events e
      where e.stream_id like 'application-%'
      group by e.stream_id
     having max(e.stream_version) > coalesce(
       (select a.version from intake.applications a
         where a.application_id = substr(e.stream_id, length('application-') + 1)), 0)`,
  );
  return rows.map((r) => ({ streamId: r.stream_id, lastChangedAt: r.last_changed_at.toISOString() }));
}
