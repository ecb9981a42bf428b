import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope, ReportDueScheduledV1 } from '@nqpf/contracts';
import { ReportingEventTypes } from '@nqpf/contracts';
import { versionsToRead } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';

/**
 * Stored A14/A15 deadlines: one row per center and period, written in the transaction that appends
 * report-due-scheduled, fired once the day after the due date (the due date itself is inclusive).
 */
export async function migrateReportDeadlines(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists reporting;
    create table if not exists reporting.report_deadlines (
      center_id text not null,
      period text not null,
      due_on date not null,
      fired_at timestamptz,
      primary key (center_id, period)
    );
    -- The claim's order, ties included (a quarter's reports fall due on one day): no claim sorts them. Built
    -- once, where missing: even "if not exists" takes a share lock on the table, behind every write in flight.
    do $$ begin
      if to_regclass('reporting.report_deadlines_claim') is null then
        create index report_deadlines_claim on reporting.report_deadlines (due_on, center_id, period)
          where fired_at is null;
      end if; end $$;
    drop index if exists reporting.report_deadlines_pending;
  `,
  );
}

export async function recordReportDeadlines(tx: PoolClient, events: EventEnvelope[]): Promise<void> {
  for (const e of events) {
    if (e.type !== ReportingEventTypes.ReportDueScheduled) continue;
    const p = e.payload as ReportDueScheduledV1;
    await tx.query(
      `insert into reporting.report_deadlines (center_id, period, due_on) values ($1, $2, $3)
       on conflict (center_id, period) do nothing`,
      [p.centerId, p.period, p.dueOn],
    );
  }
}

/**
 * A deadline for every report-due-scheduled event that has none: the row is written with the event, so a
 * store refilled from Kafka after a database restore has the events without their rows. A deadline already
 * passed fires again and decides nothing (pass-report-deadline is a no-op then). Events of a schema version
 * this build does not know are left to a newer replica, counted in `log` (versionsToRead).
 */
export async function restoreReportDeadlines(
  pool: Pool,
  eventStoreSchema: string,
  log: (line: string) => void,
): Promise<number> {
  const store = await pool.query<{ events: string | null }>('select to_regclass($1) as events', [
    `${eventStoreSchema}.events`,
  ]);
  if (!store.rows[0]?.events) return 0;
  const type = ReportingEventTypes.ReportDueScheduled;
  const { rowCount } = await pool.query(
    `insert into reporting.report_deadlines (center_id, period, due_on)
     select e.payload->>'centerId', e.payload->>'period', (e.payload->>'dueOn')::date
       from ${eventStoreSchema}.events e where e.type = $1 and e.schema_version = any($2::int[])
     on conflict (center_id, period) do nothing`,
    [type, await versionsToRead(pool, eventStoreSchema, type, log)],
  );
  return rowCount ?? 0;
}

/**
 * After a revocation the reports of periods ended by its day stay owed (decide-reports.ts). Until they did,
 * such a report's deadline falling after the revocation day passed without effect, and its row was marked
 * fired: each one whose period ended by the revocation day and whose stream records the report neither
 * filed nor overdue fires again, so that it is recorded overdue. Firing again one that needs nothing decides
 * nothing; one recorded since matches no more. Only the schema versions this build knows are read
 * (versionsToRead, counted in `log`): a row whose ending or schedule is of another version, or whose stream
 * holds a filing or an overdue report of another version (which may be its period's), is left to a newer
 * replica — re-armed, its stream would not load here, and the deadline would keep failing to fire.
 */
export async function rearmOwedAfterRevocation(
  pool: Pool,
  eventStoreSchema: string,
  log: (line: string) => void,
): Promise<number> {
  const store = await pool.query<{ events: string | null }>('select to_regclass($1) as events', [
    `${eventStoreSchema}.events`,
  ]);
  if (!store.rows[0]?.events) return 0;
  const T = ReportingEventTypes;
  const versions = (type: string) => versionsToRead(pool, eventStoreSchema, type, log);
  const { rowCount } = await pool.query(
    `update reporting.report_deadlines d set fired_at = null
       from ${eventStoreSchema}.events ended
      where ended.type = $1 and ended.schema_version = any($2::int[])
        and d.center_id = ended.payload->>'centerId' and d.fired_at is not null
        and exists (select 1 from ${eventStoreSchema}.events s
                     where s.stream_id = ended.stream_id and s.type = $3 and s.schema_version = any($4::int[])
                       and s.payload->>'period' = d.period
                       and (s.payload->>'periodEnd')::date <= (ended.payload->>'endedOn')::date)
        and not exists (select 1 from ${eventStoreSchema}.events r
                         where r.stream_id = ended.stream_id and r.type = $5
                           and (r.schema_version <> all($6::int[]) or r.payload->>'period' = d.period))
        and not exists (select 1 from ${eventStoreSchema}.events r
                         where r.stream_id = ended.stream_id and r.type = $7
                           and (r.schema_version <> all($8::int[]) or r.payload->>'period' = d.period))`,
    [
      T.ObligationsEnded,
      await versions(T.ObligationsEnded),
      T.ReportDueScheduled,
      await versions(T.ReportDueScheduled),
      T.ReportFiled,
      await versions(T.ReportFiled),
      T.ReportOverdue,
      await versions(T.ReportOverdue),
    ],
  );
  return rowCount ?? 0;
}

export interface PendingDeadline {
  centerId: string;
  period: string;
  dueOn: string;
}

/** A deadline's key for the timer's retries: `<centerId> <period>`. */
export const reportDeadlineKey = (d: PendingDeadline) => `${d.centerId} ${d.period}`;

/** Locks one deadline whose due date is before `today`, skipping rows another replica holds. */
export async function claimPassedDeadline(
  tx: PoolClient,
  today: string,
  excluding: readonly string[] = [],
): Promise<PendingDeadline | null> {
  const { rows } = await tx.query<{ center_id: string; period: string; due_on: string }>(
    // Ordered by the columns (report_deadlines_claim), not by the text `due_on` the select names.
    `select d.center_id, d.period, d.due_on::text as due_on from reporting.report_deadlines d
      where d.fired_at is null and d.due_on < $1::date and d.center_id || ' ' || d.period <> all($2::text[])
      order by d.due_on, d.center_id, d.period limit 1 for update skip locked`,
    [today, excluding],
  );
  return rows[0] ? { centerId: rows[0].center_id, period: rows[0].period, dueOn: rows[0].due_on } : null;
}

export async function markFired(tx: PoolClient, d: PendingDeadline, at: Date): Promise<void> {
  await tx.query(`update reporting.report_deadlines set fired_at = $3 where center_id = $1 and period = $2`, [
    d.centerId,
    d.period,
    at,
  ]);
}
