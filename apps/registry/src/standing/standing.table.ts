import type { Queryable } from '@nqpf/event-store';
import { emptyStanding, StandingRow } from './standing.row';

/**
 * read_model.standing: the whole row as jsonb (canonical key order, so checksums compare), plus the columns
 * the API filters and sorts on.
 */
export async function migrateStanding(db: Queryable): Promise<void> {
  await db.query(`create schema if not exists read_model`);
  await db.query(`create table if not exists read_model.standing (
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
  await db.query(`create index if not exists standing_district on read_model.standing (district)`);
}

/** Locks the center's row for the rest of the transaction, creating it empty first if new. */
export async function lockStanding(tx: Queryable, centerId: string): Promise<StandingRow> {
  await saveStanding(tx, emptyStanding(centerId), 'do nothing');
  const { rows } = await tx.query<{ row: StandingRow }>(
    `select row from read_model.standing where center_id = $1 for update`,
    [centerId],
  );
  return rows[0].row;
}

export async function saveStanding(
  tx: Queryable,
  row: StandingRow,
  onConflict: 'do nothing' | 'update' = 'update',
): Promise<void> {
  const conflict =
    onConflict === 'do nothing'
      ? 'do nothing'
      : `do update set district = excluded.district, operator_account_id = excluded.operator_account_id,
         phase = excluded.phase, status = excluded.status, latest_grade = excluded.latest_grade,
         submitted_on = excluded.submitted_on, recognized_on = excluded.recognized_on,
         consecutive_unqualified = excluded.consecutive_unqualified,
         reports_overdue = excluded.reports_overdue, row = excluded.row`;
  await tx.query(
    `insert into read_model.standing (center_id, district, operator_account_id, phase, status, latest_grade,
       submitted_on, recognized_on, consecutive_unqualified, reports_overdue, row)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (center_id) ${conflict}`,
    [
      row.centerId,
      row.district,
      row.operatorAccountId,
      row.phase,
      row.status,
      row.latestGrade,
      row.submittedOn,
      row.recognizedOn,
      row.consecutiveUnqualified,
      row.reportsOverdue,
      JSON.stringify(row),
    ],
  );
}

/** md5 over every row in primary-key order: equal checksums mean a rebuild reproduced the live model. */
export async function standingChecksum(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ checksum: string }>(
    `select md5(coalesce(string_agg(center_id || ':' || row::text, E'\\n' order by center_id), '')) as checksum
       from read_model.standing`,
  );
  return rows[0].checksum;
}
