import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope, ObligationsOpenedV1 } from '@nqpf/contracts';
import { ReportingEventTypes } from '@nqpf/contracts';
import { versionsToRead } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';

/**
 * The stored A17.3a operating deadlines: one row per center, written in the transaction that appends
 * obligations-opened (the deadline it records, and the last day a start made by it may be declared), fired
 * once the day after that last day (both are inclusive). A row without that day (written before it was
 * kept) is first claimed the day after the deadline; the timer then stores the day, and fires after it.
 */
export async function migrateOperatingDeadlines(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists reporting;
    create table if not exists reporting.operating_deadlines (
      center_id text primary key,
      deadline date not null,
      fired_at timestamptz
    );
    -- Added once: even "if not exists" locks the table exclusively on every start, behind every
    -- transaction in flight on it (the timer's claims, obligations-opened appends of running replicas).
    do $$ begin
      if not exists (select 1 from information_schema.columns where table_schema = 'reporting'
          and table_name = 'operating_deadlines' and column_name = 'start_declarations_close_on') then
        alter table reporting.operating_deadlines add column start_declarations_close_on date;
      end if; end $$;
    drop index if exists reporting.operating_deadlines_pending;
    -- Built once, where missing: even "if not exists" takes a share lock on the table, behind every write in
    -- flight and holding the next ones.
    do $$ begin
      if to_regclass('reporting.operating_deadlines_due') is null then
        create index operating_deadlines_due on reporting.operating_deadlines
          ((coalesce(start_declarations_close_on, deadline))) where fired_at is null;
      end if; end $$;
  `,
  );
}

export async function storeOperatingDeadline(
  db: Pool | PoolClient,
  centerId: string,
  deadline: string,
  startDeclarationsCloseOn: string | null = null,
): Promise<void> {
  await db.query(
    `insert into reporting.operating_deadlines (center_id, deadline, start_declarations_close_on)
     values ($1, $2, $3) on conflict do nothing`,
    [centerId, deadline, startDeclarationsCloseOn],
  );
}

/** The last day a start made by the deadline may be declared, for a row written without it. */
export async function storeStartDeclarationsClose(
  tx: PoolClient,
  centerId: string,
  closeOn: string,
): Promise<void> {
  await tx.query(
    `update reporting.operating_deadlines set start_declarations_close_on = $2
      where center_id = $1 and start_declarations_close_on is distinct from $2::date`,
    [centerId, closeOn],
  );
}

export async function recordOperatingDeadlines(tx: PoolClient, events: EventEnvelope[]): Promise<void> {
  for (const e of events) {
    if (e.type !== ReportingEventTypes.ObligationsOpened) continue;
    const p = e.payload as ObligationsOpenedV1;
    if (p.operatingDeadline)
      await storeOperatingDeadline(tx, p.centerId, p.operatingDeadline, p.startDeclarationsCloseOn ?? null);
  }
}

/**
 * Obligations without a stored deadline row — opened before reporting kept the A17.3a deadline (until then
 * assessment did) — with their recognition and the deadline obligations-opened recorded, if it did
 * (OperatingDeadlineTimer.prepare stores one for each). Those of a schema version this build does not know
 * are left to a newer replica, counted in `log` (versionsToRead).
 */
export async function openedWithoutStoredDeadline(
  db: Pool,
  eventStoreSchema: string,
  log: (line: string) => void,
): Promise<
  { centerId: string; recognizedOn: string; policyVersion: string; operatingDeadline: string | null }[]
> {
  const store = await db.query<{ events: string | null }>(`select to_regclass($1) as events`, [
    `${eventStoreSchema}.events`,
  ]);
  if (!store.rows[0]?.events) return [];
  const { rows } = await db.query<{
    center_id: string;
    recognized_on: string;
    policy_version: string;
    operating_deadline: string | null;
  }>(
    `select e.payload->>'centerId' as center_id, e.payload->>'recognizedOn' as recognized_on,
            e.payload->>'policyVersion' as policy_version, e.payload->>'operatingDeadline' as operating_deadline
       from ${eventStoreSchema}.events e
      where e.type = $1 and e.schema_version = any($2::int[])
        and not exists (select 1 from reporting.operating_deadlines d where d.center_id = e.payload->>'centerId')`,
    [
      ReportingEventTypes.ObligationsOpened,
      await versionsToRead(db, eventStoreSchema, ReportingEventTypes.ObligationsOpened, log),
    ],
  );
  return rows.map((r) => ({
    centerId: r.center_id,
    recognizedOn: r.recognized_on,
    policyVersion: r.policy_version,
    operatingDeadline: r.operating_deadline,
  }));
}

/**
 * Re-arms the deadlines the release before this one marked fired the day after the deadline whatever the
 * stream held (a declared start awaiting the district office recorded nothing): such a row never learnt the
 * last day to declare a start (start_declarations_close_on is null; every row fired since has it), and its
 * stream records neither the deadline passing, nor a start confirmed, nor the obligations ended. A rejection
 * inside the declaration window leaves the deadline's record to the timer, which claims only unfired rows:
 * re-armed, the row is claimed again and OperatingDeadlineTimer.fire stores that day from the stream and
 * decides then (it records nothing where nothing is due). Rows another replica is re-arming are skipped, so
 * replicas starting together neither wait nor deadlock; a row re-armed once is never selected again. Only
 * an obligations-opened of a schema version this build knows re-arms (versionsToRead, counted in `log`):
 * one of another version is left to a newer replica, as the restores leave it. The records that keep a row
 * fired count in any version: their type alone says the deadline needs nothing more.
 */
export async function rearmOperatingDeadlinesFiredEarly(
  db: Pool | PoolClient,
  eventStoreSchema: string,
  streamPrefix: string,
  log: (line: string) => void,
): Promise<number> {
  const store = await db.query<{ events: string | null }>(`select to_regclass($1) as events`, [
    `${eventStoreSchema}.events`,
  ]);
  if (!store.rows[0]?.events) return 0;
  const { rowCount } = await db.query(
    `update reporting.operating_deadlines set fired_at = null
      where center_id in (
        select d.center_id from reporting.operating_deadlines d
         where d.fired_at is not null and d.start_declarations_close_on is null
           and exists (select 1 from ${eventStoreSchema}.events e
                        where e.stream_id = $1 || d.center_id and e.type = $2
                          and e.schema_version = any($4::int[]))
           and not exists (select 1 from ${eventStoreSchema}.events e
                            where e.stream_id = $1 || d.center_id and e.type = any($3::text[]))
         for update of d skip locked)
        and fired_at is not null and start_declarations_close_on is null`,
    [
      streamPrefix,
      ReportingEventTypes.ObligationsOpened,
      [
        ReportingEventTypes.OperatingDeadlinePassed,
        ReportingEventTypes.OperationStarted,
        ReportingEventTypes.ObligationsEnded,
      ],
      await versionsToRead(db, eventStoreSchema, ReportingEventTypes.ObligationsOpened, log),
    ],
  );
  return rowCount ?? 0;
}

/**
 * Locks one deadline whose last day to declare a start ended before `today` (the deadline itself, for a
 * row that does not know that day yet), skipping rows another replica holds.
 */
export async function claimPassedOperatingDeadline(
  tx: PoolClient,
  today: string,
  excluding: readonly string[] = [],
): Promise<string | null> {
  const { rows } = await tx.query<{ center_id: string }>(
    `select center_id from reporting.operating_deadlines
      where fired_at is null and coalesce(start_declarations_close_on, deadline) < $1::date
        and center_id <> all($2::text[])
      order by coalesce(start_declarations_close_on, deadline), center_id limit 1 for update skip locked`,
    [today, excluding],
  );
  return rows[0]?.center_id ?? null;
}

/** Fired, unless the row has learnt since its claim that declarations are still open on `today`. */
export async function markOperatingDeadlineFired(
  tx: PoolClient,
  centerId: string,
  at: Date,
  today: string,
): Promise<void> {
  await tx.query(
    `update reporting.operating_deadlines set fired_at = $2
      where center_id = $1 and coalesce(start_declarations_close_on, deadline) < $3::date`,
    [centerId, at, today],
  );
}
