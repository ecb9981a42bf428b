import type { Queryable } from '@nqpf/event-store';
import type { Queryable as DdlTarget } from '@nqpf/projections';
import { emptyStanding, StandingRow } from './standing.row';

/** The live schema (the projection's name); a rebuild or as-of writes the same table in another schema. */
export const STANDING_SCHEMA = 'standing';

const table = (schema: string) => `"${schema}".standing`;

/**
 * What the city-wide filters read (standing.query.ts whereClause), kept beside the document so that an
 * index answers them instead of every row being unpacked: computed from the document `doc` by the
 * statement that writes it, and by the same expressions when filling the rows of the release before.
 */
const filterColumns = (doc: string) =>
  `array(select jsonb_array_elements_text(${doc}->'awaiting')), ${doc}->>'revokedOn', ${doc}->'grades'`;

/**
 * <schema>.standing: the whole row as jsonb, plus the columns the API filters and sorts on. The schema is
 * created by the projection runtime (libs/projections). The filter columns come after `row`, where the
 * release before's table gets them added: a read model's checksum reads its rows whole, columns in order.
 */
export async function createStandingTable(db: DdlTarget, schema: string): Promise<void> {
  await db.query(`create table if not exists ${table(schema)} (
    center_id text primary key,
    district text,
    operator_account_id text,
    phase text not null,
    status text not null,
    latest_grade text,
    submitted_on text,
    recognized_on text,
    consecutive_unqualified int not null,
    reports_overdue int not null,
    row jsonb not null,
    awaiting text[],
    revoked_on text,
    grades jsonb)`);
  // The release before's table gets the filter columns once (together, so one is checked), filled from its
  // documents in the same transaction (the projection's DDL lock): an upgraded model answers the filters at
  // once. Checked in the catalog: even "add column if not exists" locks the table exclusively, every start.
  await db.query(`do $$ begin
    if not exists (select 1 from information_schema.columns where table_schema = '${schema}'
        and table_name = 'standing' and column_name = 'awaiting') then
      alter table ${table(schema)} add column awaiting text[], add column revoked_on text, add column grades jsonb;
      update ${table(schema)} set (awaiting, revoked_on, grades) = (${filterColumns('row')});
    end if; end $$`);
  // Indexes built once, where missing: even "if not exists" takes a share lock on the table, behind every
  // write in flight (the projection's batches) and holding the next ones. standing_awaiting: `awaiting=`;
  // standing_year_grades: `year=` with `grade=`, one entry per year and grade (jsonb_path_ops: the default
  // class would find the year and the grade apart, every row graded so in any year rechecked);
  // standing_unassessed: `unassessed=`, the centers recognised by a day and not revoked (that a year's
  // grade is missing, no index can find). `year=` alone, about every center recognised by then, reads the
  // column without one.
  await db.query(`do $$ begin
    if to_regclass('"${schema}".standing_district') is null then
      create index standing_district on ${table(schema)} (district);
    end if;
    if to_regclass('"${schema}".standing_awaiting') is null then
      create index standing_awaiting on ${table(schema)} using gin (awaiting);
    end if;
    if to_regclass('"${schema}".standing_year_grades') is null then
      create index standing_year_grades on ${table(schema)} using gin (grades jsonb_path_ops);
    end if;
    if to_regclass('"${schema}".standing_unassessed') is null then
      create index standing_unassessed on ${table(schema)} (recognized_on) where revoked_on is null;
    end if; end $$`);
}

const INSERT = (schema: string) => `insert into ${table(schema)} (center_id, district, operator_account_id,
    phase, status, latest_grade, submitted_on, recognized_on, consecutive_unqualified, reports_overdue, row,
    awaiting, revoked_on, grades)
  select r->>'centerId', r->>'district', r->>'operatorAccountId', r->>'phase', r->>'status', r->>'latestGrade',
    r->>'submittedOn', r->>'recognizedOn', (r->>'consecutiveUnqualified')::int, (r->>'reportsOverdue')::int, r,
    ${filterColumns('r')}
    from jsonb_array_elements($1::jsonb) as r`;

/**
 * The rows of these centers, locked for the rest of the transaction, in one statement: missing rows are
 * inserted empty and existing ones locked by a no-op update, in key order, so that two transactions on one
 * center (new or not) queue on its row instead of both folding from empty, and cannot deadlock.
 */
export async function loadStanding(
  tx: Queryable,
  schema: string,
  centerIds: string[],
): Promise<Map<string, StandingRow>> {
  const sorted = [...centerIds].sort();
  const { rows } = await tx.query<{ row: StandingRow }>(
    `${INSERT(schema)} on conflict (center_id) do update set center_id = excluded.center_id returning row`,
    [JSON.stringify(sorted.map(emptyStanding))],
  );
  return new Map(rows.map((r) => [r.row.centerId, r.row]));
}

/** Inserts or replaces the rows. One JSON array parameter: parsed once, unlike eleven escaped arrays. */
export async function saveStanding(tx: Queryable, schema: string, rows: StandingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `${INSERT(schema)} on conflict (center_id) do update set district = excluded.district,
       operator_account_id = excluded.operator_account_id, phase = excluded.phase, status = excluded.status,
       latest_grade = excluded.latest_grade, submitted_on = excluded.submitted_on,
       recognized_on = excluded.recognized_on, consecutive_unqualified = excluded.consecutive_unqualified,
       reports_overdue = excluded.reports_overdue, row = excluded.row,
       awaiting = excluded.awaiting, revoked_on = excluded.revoked_on, grades = excluded.grades`,
    [JSON.stringify(rows)],
  );
}
