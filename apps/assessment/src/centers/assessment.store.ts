import type { Pool, PoolClient } from 'pg';
import { ParkedEvents, runDdl } from '@nqpf/messaging';
import {
  ActivityLoggedV1,
  CenterTrackedV1,
  EventEnvelope,
  OperationStartDeclaredV1,
  ReportDueScheduledV1,
  ReportFiledV1,
  ReportOverdueV1,
  ReportComplianceV1,
} from '@nqpf/contracts';

/**
 * The service's own tables: the stored A17.3a deadlines, the operation start declared and awaiting the
 * district office, and the inputs it shows in an assessment (activities per year, A14/A15 report periods),
 * kept from reporting's events in the consumer's transaction.
 */
export async function migrateAssessmentTables(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists assessment;
    create table if not exists assessment.operating_deadlines (
      center_id text primary key,
      deadline date not null,
      fired_at timestamptz
    );
    create table if not exists assessment.activity_counts (
      center_id text not null,
      year int not null,
      count int not null,
      primary key (center_id, year)
    );
    create table if not exists assessment.declared_operation_starts (
      center_id text primary key,
      started_on date not null,
      declared_on date not null
    );
    create table if not exists assessment.report_periods (
      center_id text not null,
      period text not null,
      year int not null,
      due_on date not null,
      filed_on date,
      late boolean,
      overdue boolean not null default false,
      primary key (center_id, period)
    );
  `,
  );
  await parkedEvents.migrate(pool);
}

/** Reporting's events about a center not tracked yet, until its recognition arrives (ParkedEvents). */
export const parkedEvents = new ParkedEvents('assessment');

export async function recordOperatingDeadlines(tx: PoolClient, events: EventEnvelope[]): Promise<void> {
  for (const e of events) {
    if (e.type !== 'assessment.center-tracked') continue;
    const p = e.payload as CenterTrackedV1;
    await tx.query(
      `insert into assessment.operating_deadlines (center_id, deadline) values ($1, $2) on conflict do nothing`,
      [p.centerId, p.operatingDeadline],
    );
  }
}

export async function claimPassedOperatingDeadline(tx: PoolClient, today: string): Promise<string | null> {
  const { rows } = await tx.query<{ center_id: string }>(
    `select center_id from assessment.operating_deadlines where fired_at is null and deadline < $1::date
      order by deadline, center_id limit 1 for update skip locked`,
    [today],
  );
  return rows[0]?.center_id ?? null;
}

export async function markOperatingDeadlineFired(tx: PoolClient, centerId: string, at: Date): Promise<void> {
  await tx.query(`update assessment.operating_deadlines set fired_at = $2 where center_id = $1`, [
    centerId,
    at,
  ]);
}

/**
 * reporting.operation-start-declared, pending until confirmed or rejected. The center's deadline row is
 * locked first: the timer claims it `for update skip locked`, so it either fires before this commits (and
 * the declaration came too late) or reads the declaration on its next tick.
 */
export async function recordDeclaredStart(tx: PoolClient, p: OperationStartDeclaredV1): Promise<void> {
  await tx.query(`select 1 from assessment.operating_deadlines where center_id = $1 for update`, [
    p.centerId,
  ]);
  await tx.query(
    `insert into assessment.declared_operation_starts (center_id, started_on, declared_on) values ($1, $2, $3)
     on conflict (center_id) do update set started_on = excluded.started_on, declared_on = excluded.declared_on`,
    [p.centerId, p.startedOn, p.declaredOn],
  );
}

/** The district office ruled on the declared start (confirmed or rejected): it no longer awaits it. */
export async function clearDeclaredStart(tx: PoolClient, centerId: string): Promise<void> {
  await tx.query(`delete from assessment.declared_operation_starts where center_id = $1`, [centerId]);
}

export async function declaredStartOf(
  db: Pool | PoolClient,
  centerId: string,
): Promise<{ startedOn: string; declaredOn: string } | null> {
  const { rows } = await db.query<{ started_on: string; declared_on: string }>(
    `select started_on::text, declared_on::text from assessment.declared_operation_starts where center_id = $1`,
    [centerId],
  );
  const row = rows[0];
  return row ? { startedOn: row.started_on, declaredOn: row.declared_on } : null;
}

const yearOfPeriod = (period: string) => Number(period.slice(0, 4));

/** Keeps the assessment inputs from reporting's events (idempotent: the inbox and the upserts). */
export async function applyReportingEvent(tx: PoolClient, e: EventEnvelope): Promise<void> {
  switch (e.type) {
    case 'reporting.activity-logged': {
      const p = e.payload as ActivityLoggedV1;
      await tx.query(
        `insert into assessment.activity_counts (center_id, year, count) values ($1, $2, $3)
         on conflict (center_id, year) do update set count = greatest(assessment.activity_counts.count, excluded.count)`,
        [p.centerId, Number(p.heldOn.slice(0, 4)), p.yearCount],
      );
      return;
    }
    case 'reporting.operation-start-declared':
      await recordDeclaredStart(tx, e.payload as OperationStartDeclaredV1);
      return;
    case 'reporting.report-due-scheduled': {
      const p = e.payload as ReportDueScheduledV1;
      await tx.query(
        `insert into assessment.report_periods (center_id, period, year, due_on) values ($1, $2, $3, $4)
         on conflict (center_id, period) do nothing`,
        [p.centerId, p.period, yearOfPeriod(p.period), p.dueOn],
      );
      return;
    }
    case 'reporting.report-filed': {
      const p = e.payload as ReportFiledV1;
      await tx.query(
        `insert into assessment.report_periods (center_id, period, year, due_on, filed_on, late) values ($1, $2, $3, $4, $5, $6)
         on conflict (center_id, period) do update set filed_on = excluded.filed_on, late = excluded.late`,
        [p.centerId, p.period, yearOfPeriod(p.period), p.dueOn, p.filedOn, p.late],
      );
      return;
    }
    case 'reporting.report-overdue': {
      const p = e.payload as ReportOverdueV1;
      await tx.query(
        `update assessment.report_periods set overdue = true where center_id = $1 and period = $2`,
        [p.centerId, p.period],
      );
      return;
    }
  }
}

export async function activityCountOf(
  db: Pool | PoolClient,
  centerId: string,
  year: number,
): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `select count from assessment.activity_counts where center_id = $1 and year = $2`,
    [centerId, year],
  );
  return rows[0]?.count ?? 0;
}

/** The year's quarterly reports and its annual report: due = deadline passed or filed. */
export async function reportComplianceOf(
  db: Pool | PoolClient,
  centerId: string,
  year: number,
  today: string,
): Promise<ReportComplianceV1> {
  const { rows } = await db.query<{ due: number; on_time: number; late: number }>(
    `select count(*) filter (where due_on < $3::date or filed_on is not null)::int as due,
            count(*) filter (where filed_on is not null and not late)::int as on_time,
            count(*) filter (where filed_on is not null and late)::int as late
       from assessment.report_periods where center_id = $1 and year = $2`,
    [centerId, year, today],
  );
  const r = rows[0] ?? { due: 0, on_time: 0, late: 0 };
  return { due: r.due, filedOnTime: r.on_time, filedLate: r.late, missing: r.due - r.on_time - r.late };
}
