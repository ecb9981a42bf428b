import type { Queryable } from '@nqpf/event-store';
import type { Queryable as DdlTarget } from '@nqpf/projections';
import { emptyStanding, StandingRow } from './standing.row';

/** The live schema (the projection's name); a rebuild or as-of writes the same table in another schema. */
export const STANDING_SCHEMA = 'standing';

const table = (schema: string) => `"${schema}".standing`;

/**
 * <schema>.standing: the whole row as jsonb, plus the columns the API filters and sorts on. The schema is
 * created by the projection runtime (libs/projections).
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
    row jsonb not null)`);
  await db.query(`create index if not exists standing_district on ${table(schema)} (district)`);
}

const INSERT = (schema: string) => `insert into ${table(schema)} (center_id, district, operator_account_id,
    phase, status, latest_grade, submitted_on, recognized_on, consecutive_unqualified, reports_overdue, row)
  select r->>'centerId', r->>'district', r->>'operatorAccountId', r->>'phase', r->>'status', r->>'latestGrade',
    r->>'submittedOn', r->>'recognizedOn', (r->>'consecutiveUnqualified')::int, (r->>'reportsOverdue')::int, r
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
       reports_overdue = excluded.reports_overdue, row = excluded.row`,
    [JSON.stringify(rows)],
  );
}
