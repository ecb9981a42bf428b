import type { Actor } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import type { Sql } from './csv-export';
import { scopeWhere } from './scope-where';
import { STANDING_PHASES, type StandingRow } from './standing.row';

export interface StandingFilter {
  district?: string;
  phase?: string;
  status?: string;
  /** With `year`: the grade of that assessment year; alone: the latest grade. */
  grade?: string;
  /** Alone: centers assessed for that year. */
  year?: number;
  /** Centers waiting for this (AWAITING), e.g. a district office's endorsements to give. */
  awaiting?: string;
  /**
   * A17.1, the bureau's work list for a year's assessments: centers recognised by the end of that year, not
   * revoked (assessment refuses a revoked center, even for a year that ended before its revocation), without
   * a grade for it (from the events alone: the caller names the year).
   */
  unassessed?: number;
}

export const STANDING_SORTS = {
  centerId: 'center_id',
  district: 'district',
  // By lifecycle (STANDING_PHASES' order, `unknown` last), not alphabetically.
  phase: `array_position(array[${STANDING_PHASES.map((p) => `'${p}'`).join(', ')}]::text[], phase)`,
  status: 'status',
  // By rank, best last (不合格 first ascending): the collation would order the characters by code.
  grade: `case latest_grade when '不合格' then 1 when '合格' then 2 when '良好' then 3 when '优秀' then 4 end`,
  submittedOn: 'submitted_on',
  recognizedOn: 'recognized_on',
  consecutiveUnqualified: 'consecutive_unqualified',
  reportsOverdue: 'reports_overdue',
} as const;
export type StandingSortKey = keyof typeof STANDING_SORTS;

export interface StandingPage {
  sort?: { key: StandingSortKey; descending: boolean };
  limit: number;
  offset: number;
}

/** The actor's scope and the filter as one WHERE condition on standing.standing: the lists', the summary's. */
export function whereClause(actor: Actor, filter: StandingFilter): { where: string; params: unknown[] } {
  const scope = scopeWhere(actor, 1);
  const params: unknown[] = [...scope.params];
  const parts = [scope.where];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(`$${params.length}`));
  };
  if (filter.district !== undefined) add((p) => `district = ${p}`, filter.district);
  if (filter.phase !== undefined) add((p) => `phase = ${p}`, filter.phase);
  if (filter.status !== undefined) add((p) => `status = ${p}`, filter.status);
  // awaiting, revoked_on and grades are the document's, kept as columns (standing.table.ts): these filters
  // read them, through their indexes but for `year` alone, instead of unpacking every row's document.
  if (filter.awaiting !== undefined) add((p) => `awaiting @> array[${p}::text]`, filter.awaiting);
  if (filter.unassessed !== undefined)
    add(
      (p) => `recognized_on <= (${p} || '-12-31') and revoked_on is null and not (grades ? ${p})`,
      String(filter.unassessed),
    );
  if (filter.year !== undefined && filter.grade !== undefined) {
    add((p) => `grades @> ${p}::jsonb`, JSON.stringify({ [filter.year]: filter.grade }));
  } else if (filter.grade !== undefined) {
    add((p) => `latest_grade = ${p}`, filter.grade);
  } else if (filter.year !== undefined) {
    add((p) => `grades ? ${p}`, String(filter.year));
  }
  return { where: parts.map((p) => `(${p})`).join(' and '), params };
}

/** Whether the filter is read through an index of the columns standing.table.ts keeps for it. */
const readsIndex = (filter: StandingFilter): boolean =>
  filter.awaiting !== undefined ||
  filter.unassessed !== undefined ||
  (filter.year !== undefined && filter.grade !== undefined);

/** What a page is chosen on: the key and the columns every sort (STANDING_SORTS) reads. */
const PAGE_COLUMNS = `center_id, district, phase, status, latest_grade, submitted_on, recognized_on,
  consecutive_unqualified, reports_overdue`;

const orderBy = (sort: StandingPage['sort']): string => {
  const { key, descending } = sort ?? { key: 'centerId', descending: false };
  return `order by ${STANDING_SORTS[key]} ${descending ? 'desc nulls last' : 'asc nulls last'}, center_id`;
};

/** GET /standing.csv: how many rows the actor may see match the filter, and those rows (`row`) in order. */
export function standingExport(
  actor: Actor,
  filter: StandingFilter,
  sort: StandingPage['sort'],
): { count: Sql; rows: Sql } {
  const { where, params } = whereClause(actor, filter);
  return {
    count: { text: `select count(*) as n from standing.standing where ${where}`, params },
    rows: { text: `select row from standing.standing where ${where} ${orderBy(sort)}`, params },
  };
}

/** The rows the actor may see that match the filter, one page, and the count of all matching. */
export async function listStanding(
  db: Queryable,
  actor: Actor,
  filter: StandingFilter,
  page: StandingPage,
): Promise<{ total: number; rows: StandingRow[] }> {
  const { where, params } = whereClause(actor, filter);
  // With a filter an index answers, the matching rows are found on their own first (`offset 0` keeps them
  // apart): under the page's limit PostgreSQL 15 costs the window as if it stopped after the page, and
  // would rather walk the key index in order, filtering every row of the city.
  const matching = readsIndex(filter)
    ? `(select ${PAGE_COLUMNS} from standing.standing where ${where} offset 0) standing`
    : `standing.standing where ${where}`;
  // The page is chosen on the narrow columns, then its documents are fetched by key: counting and sorting
  // the whole rows would carry every matching document (kBs each) through the window and the sort, spilled
  // to disk for the whole city. `n` keeps the page's order across the join.
  const { rows } = await db.query<{ row: StandingRow; total: string }>(
    `select s.row, p.total from (
       select center_id, count(*) over () as total, row_number() over (${orderBy(page.sort)}) as n
         from ${matching} ${orderBy(page.sort)}
        limit ${page.limit} offset ${page.offset}) p
       join standing.standing s using (center_id)
      order by p.n`,
    params,
  );
  let total = rows.length > 0 ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page.offset > 0) {
    const counted = await db.query<{ n: string }>(
      `select count(*) as n from standing.standing where ${where}`,
      params,
    );
    total = Number(counted.rows[0].n);
  }
  return { total, rows: rows.map((r) => r.row) };
}

/**
 * One center's row with the district it is scoped by, or null when it does not exist; whatever the actor's
 * scope — the caller checks it (assertCanActOrNotFound), so an out-of-scope read is logged as a denial.
 */
export async function findStanding(
  db: Queryable,
  centerId: string,
): Promise<{ row: StandingRow; district: string | null } | null> {
  const { rows } = await db.query<{ row: StandingRow; district: string | null }>(
    'select row, district from standing.standing where center_id = $1',
    [centerId],
  );
  return rows[0] ?? null;
}
