import type { Pool, PoolClient } from 'pg';
import { NotReadyYet, ParkedEvents, runDdl } from '@nqpf/messaging';
import {
  ActivityLoggedV1,
  ActivityWithdrawnV1,
  EventEnvelope,
  EventPayloadSchemas,
  ReportDueScheduledV1,
  ReportFiledV1,
  ReportOverdueV1,
  ReportComplianceV1,
  ReportingEventTypes,
} from '@nqpf/contracts';
import type { TrackedCenter } from '../domain/center/center.types';

/**
 * The service's own tables: the inputs it shows in an assessment (activities per year, A14/A15 report
 * periods), kept from reporting's events in the consumer's transaction, and the parked events. The A17.3a
 * deadline is reporting's (reporting.operating_deadlines → reporting.operating-deadline-passed); the
 * declared starts this service kept for its own timer are dropped. assessment.operating_deadlines, which
 * that timer read, is left in place for a rollback and no longer written or read.
 */
export async function migrateAssessmentTables(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists assessment;
    create table if not exists assessment.activity_counts (
      center_id text not null,
      year int not null,
      count int not null,
      primary key (center_id, year)
    );
    -- The reporting stream version the count is from: a withdrawal lowers it, so the later event wins.
    -- Added once: even "if not exists" locks the table exclusively, behind every read in flight.
    do $$ begin
      if not exists (select 1 from information_schema.columns where table_schema = 'assessment'
          and table_name = 'activity_counts' and column_name = 'stream_version') then
        alter table assessment.activity_counts add column stream_version int not null default 0;
      end if; end $$;
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

/**
 * Reporting's events about a center not tracked yet, until its recognition arrives (ParkedEvents); known
 * as the consumer that parks them knows them (its `validate`).
 */
export const parkedEvents = new ParkedEvents('assessment', EventPayloadSchemas);

/**
 * Parking a center's event and taking its parked events back on recognition serialise per center: under
 * READ COMMITTED the recognition's delete neither sees nor waits for a park not yet committed, nor does a
 * parker's read of the stream see a recognition not yet committed; without this lock an event parked in
 * between would stay parked for good. Transaction-scoped: released at commit or rollback.
 */
export async function lockCenter(tx: PoolClient, centerId: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`assessment.center:${centerId}`]);
}

const yearOfPeriod = (period: string) => Number(period.slice(0, 4));

/** Keeps the assessment inputs from reporting's events (idempotent: the inbox and the upserts). */
/** The reporting events copied into assessment's tables by applyReportingEvent (the annual inputs). */
export const REPORTING_COPY_TYPES = [
  ReportingEventTypes.ActivityLogged,
  ReportingEventTypes.ActivityWithdrawn,
  ReportingEventTypes.ReportDueScheduled,
  ReportingEventTypes.ReportFiled,
  ReportingEventTypes.ReportOverdue,
];

export async function applyReportingEvent(tx: PoolClient, e: EventEnvelope): Promise<void> {
  switch (e.type) {
    case 'reporting.activity-logged':
    case 'reporting.activity-withdrawn': {
      const p = e.payload as ActivityLoggedV1 | ActivityWithdrawnV1;
      await tx.query(
        `insert into assessment.activity_counts (center_id, year, count, stream_version) values ($1, $2, $3, $4)
         on conflict (center_id, year) do update set count = excluded.count, stream_version = excluded.stream_version
          where assessment.activity_counts.stream_version <= excluded.stream_version`,
        [p.centerId, Number(p.heldOn.slice(0, 4)), p.yearCount, e.streamVersion],
      );
      return;
    }
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

/**
 * The year's quarterly reports and its annual report: due = deadline passed (before the revocation, for a
 * revoked center: reporting owes nothing after its end) or filed. While the center is not revoked,
 * NotReadyYet until reporting has scheduled every period of the year due by today.
 */
export async function reportComplianceOf(
  db: Pool | PoolClient,
  center: Pick<TrackedCenter, 'centerId' | 'recognizedOn' | 'revocation'>,
  year: number,
  today: string,
): Promise<ReportComplianceV1> {
  const revokedOn = center.revocation?.revokedOn;
  if (!revokedOn) await requireYearScheduled(db, center, year, today);
  const cutoff = revokedOn && revokedOn < today ? revokedOn : today;
  const { rows } = await db.query<{ due: number; on_time: number; late: number }>(
    `select count(*) filter (where due_on < $3::date or filed_on is not null)::int as due,
            count(*) filter (where filed_on is not null and not late)::int as on_time,
            count(*) filter (where filed_on is not null and late)::int as late
       from assessment.report_periods where center_id = $1 and year = $2`,
    [center.centerId, year, cutoff],
  );
  const r = rows[0] ?? { due: 0, on_time: 0, late: 0 };
  return { due: r.due, filedOnTime: r.on_time, filedLate: r.late, missing: r.due - r.on_time - r.late };
}

/**
 * Reporting schedules a period only when its timer passes the previous period's deadline (and opens the
 * first two at recognition), so a period of `year` due by today may have no row here yet: counted as not
 * due, a missing report would be recorded with the grade as never owed. Behind while reporting has not
 * opened the center; while the latest quarterly period before the year's Q4, or the latest annual one
 * before the year's, has its deadline passed (its successor is not scheduled yet); or while the year's
 * quarters have a gap (a report filed early for a later quarter gives that quarter a row first).
 */
async function requireYearScheduled(
  db: Pool | PoolClient,
  center: Pick<TrackedCenter, 'centerId' | 'recognizedOn'>,
  year: number,
  today: string,
): Promise<void> {
  const { rows } = await db.query<{ period: string; year: number; due_on: string }>(
    `select period, year, due_on::text as due_on from assessment.report_periods
      where center_id = $1 order by period`,
    [center.centerId],
  );
  const quarters = rows.filter((r) => r.period.length === 7);
  const years = rows.filter((r) => r.period.length === 4);
  const behind = (why: string) =>
    new NotReadyYet(
      `reporting ${why} (A14, A15): the report periods of ${year} are not all scheduled yet; try again shortly`,
    );
  if (quarters.length === 0 || years.length === 0)
    throw behind(`has not opened ${center.centerId}'s report periods yet`);
  for (const [latest, yearEnd] of [
    [quarters.at(-1)!, `${year}-Q4`],
    [years.at(-1)!, `${year}`],
  ] as const)
    if (latest.period < yearEnd && latest.due_on < today)
      throw behind(
        `has not passed the deadline of ${center.centerId}'s report ${latest.period} (due ${latest.due_on}) yet`,
      );
  const firstQuarter = center.recognizedOn.startsWith(`${year}-`)
    ? Math.ceil(Number(center.recognizedOn.slice(5, 7)) / 3)
    : 1;
  const ofYear = quarters.filter((r) => r.year === year).map((r) => Number(r.period.slice(6)));
  const gap = ofYear.findIndex((q, i) => q !== firstQuarter + i);
  if (gap >= 0) throw behind(`has not scheduled ${center.centerId}'s report ${year}-Q${firstQuarter + gap}`);
}
