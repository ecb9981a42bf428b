import type { Actor } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import type { Sql } from '../standing/csv-export';
import { scopeWhere } from '../standing/scope-where';
import { STANDING_SCHEMA } from '../standing/standing.table';
import { operatorCreditCodeOf, operatorNameOf } from '../standing/standing.view';
import type { StoredLedger } from './ledger.codec';
import { UNDISBURSED_SQL, undisbursedOf } from './ledger.view';

export interface LedgerFilter {
  district?: string;
  /** Calendar year of the support year. */
  year?: number;
  supportYear?: number;
}

/** The support-year lists' filter: also by what remains to pay (A12). */
export interface LedgerYearFilter extends LedgerFilter {
  /** true: years with something left to pay (`undisbursed` > 0); false: the others (nothing left). */
  undisbursed?: boolean;
}

export const LEDGER_SORTS = {
  centerId: 'center_id',
  district: 'district',
  year: 'calendar_year',
  supportYear: 'support_year',
  granted: 'granted',
  disbursed: 'disbursed',
  spent: 'spent',
  balance: 'balance',
} as const;
export type LedgerSortKey = keyof typeof LEDGER_SORTS;

export interface LedgerPage {
  sort?: { key: LedgerSortKey; descending: boolean };
  limit: number;
  offset: number;
}

/** One row per center and support year; amounts as fen strings (bigint columns read as text). */
export interface LedgerYearRow {
  centerId: string;
  supportYear: number;
  calendarYear: number | null;
  district: string | null;
  granted: string;
  disbursed: string;
  spent: string;
  rejected: string;
  cancelled: string;
  balance: string;
  /** granted − cancelled − disbursed: what remains to pay (A12), as the ledger view computes it. */
  undisbursed: string;
  spentByCategory: Record<string, string>;
  grantPolicyVersion: string | null;
}

const COLUMNS = `center_id as "centerId", support_year as "supportYear", calendar_year as "calendarYear",
  district, granted::text as granted, disbursed::text as disbursed, spent::text as spent,
  rejected::text as rejected, cancelled::text as cancelled, balance::text as balance,
  spent_by_category as "spentByCategory", grant_policy_version as "grantPolicyVersion"`;

/** The center as its standing shows it, for the ledger exports: empty without a standing row. */
export interface CenterCells {
  operatorName: string | null;
  operatorCreditCode: string | null;
  /** The standing's status (applying, rejected, recognised, revoked). */
  status: string | null;
}

/** A support-year row as GET /ledger.csv writes it: with its center's name and status. */
export type LedgerYearExportRow = LedgerYearRow & CenterCells;

/**
 * The center's standing (same database), joined to the ledger rows by center id for the exports: a left
 * join, so a ledger whose center has no standing row (not read yet) keeps its rows, with empty cells. Its
 * columns are renamed, so the scope's and the filters' unqualified columns (`district`, `center_id`) stay
 * the ledger's: a district office's scope applies to the ledger rows exactly as without the join. `offset 0`
 * keeps the subquery apart, so each center's standing document is unpacked once, not once per joined entry.
 * `centers` (a select of center ids, at least the export's) narrows it to those documents by primary key: a
 * kept-apart subquery is not filtered by the join, so without it every standing document in the city is
 * read, whatever the scope. Absent for an unfiltered export, which reads them all anyway.
 */
function standingJoin(centerId: string, centers?: string): string {
  const narrowed = centers === undefined ? '' : `where center_id = any (array(${centers}))`;
  return `left join (select center_id as standing_center_id,
    status as standing_status, row->>'reportedOperatorName' as reported_operator_name,
    row->>'operatorName' as intake_operator_name,
    row->>'reportedOperatorCreditCode' as reported_operator_credit_code,
    row->>'operatorCreditCode' as intake_operator_credit_code
    from "${STANDING_SCHEMA}".standing ${narrowed} offset 0) s
  on s.standing_center_id = ${centerId}`;
}
/** A where of whereClause that selects every row: the export has no center to narrow the standing to. */
const UNFILTERED = '(TRUE)';
const STANDING_COLUMNS = `s.reported_operator_name as "reportedOperatorName",
  s.intake_operator_name as "intakeOperatorName", s.standing_status as "standingStatus",
  s.reported_operator_credit_code as "reportedOperatorCreditCode",
  s.intake_operator_credit_code as "intakeOperatorCreditCode"`;
interface StandingColumns {
  reportedOperatorName: string | null;
  intakeOperatorName: string | null;
  standingStatus: string | null;
  reportedOperatorCreditCode: string | null;
  intakeOperatorCreditCode: string | null;
}

/** The joined columns as cells, the name and credit code as the standing view gives them. */
function withCenterCells<T extends StandingColumns>(row: T): Omit<T, keyof StandingColumns> & CenterCells {
  const {
    reportedOperatorName,
    intakeOperatorName,
    standingStatus,
    reportedOperatorCreditCode,
    intakeOperatorCreditCode,
    ...rest
  } = row;
  const operatorName = operatorNameOf({
    reportedOperatorName: reportedOperatorName ?? undefined,
    operatorName: intakeOperatorName,
  });
  const operatorCreditCode = operatorCreditCodeOf({
    reportedOperatorCreditCode: reportedOperatorCreditCode ?? undefined,
    operatorCreditCode: intakeOperatorCreditCode ?? undefined,
  });
  return { ...rest, operatorName, operatorCreditCode, status: standingStatus };
}

function whereClause(actor: Actor, filter: LedgerFilter): { where: string; params: unknown[] } {
  const scope = scopeWhere(actor, 1);
  const params: unknown[] = [...scope.params];
  const parts = [scope.where];
  const add = (column: string, value: unknown) => {
    params.push(value);
    parts.push(`${column} = $${params.length}`);
  };
  if (filter.district !== undefined) add('district', filter.district);
  if (filter.year !== undefined) add('calendar_year', filter.year);
  if (filter.supportYear !== undefined) add('support_year', filter.supportYear);
  return { where: parts.map((p) => `(${p})`).join(' and '), params };
}

/**
 * whereClause on ledger.ledger_years, with what remains to pay as the rows' `undisbursed` computes it: the
 * support-year lists', exports' and summary's.
 */
export function yearsWhereClause(
  actor: Actor,
  filter: LedgerYearFilter,
): { where: string; params: unknown[] } {
  const { where, params } = whereClause(actor, filter);
  if (filter.undisbursed === undefined) return { where, params };
  return { where: `${where} and (${UNDISBURSED_SQL} ${filter.undisbursed ? '>' : '<='} 0)`, params };
}

const yearsOrderBy = (sort: LedgerPage['sort']): string => {
  const { key, descending } = sort ?? { key: 'centerId', descending: false };
  // Sort on the table's columns (y.), not the text aliases of the same names in the select list.
  return `order by y.${LEDGER_SORTS[key]} ${descending ? 'desc nulls last' : 'asc nulls last'}, y.center_id, y.support_year`;
};

/** The support-year rows the actor may see that match the filter, one page, and the count of all matching. */
export async function listLedgerYears(
  db: Queryable,
  actor: Actor,
  filter: LedgerYearFilter,
  page: LedgerPage,
): Promise<{ total: number; rows: LedgerYearRow[] }> {
  const { where, params } = yearsWhereClause(actor, filter);
  const [{ rows }, counted] = await Promise.all([
    db.query<Omit<LedgerYearRow, 'undisbursed'>>(
      `select ${COLUMNS} from ledger.ledger_years y where ${where} ${yearsOrderBy(page.sort)}
        limit ${page.limit} offset ${page.offset}`,
      params,
    ),
    db.query<{ n: string }>(`select count(*) as n from ledger.ledger_years where ${where}`, params),
  ]);
  return {
    total: Number(counted.rows[0].n),
    rows: rows.map((row) => ({ ...row, undisbursed: undisbursedOf(row) })),
  };
}

/** A support-year row as GET /ledger.csv selects it: with its center's standing columns. */
export type LedgerYearSelected = Omit<LedgerYearRow, 'undisbursed'> & StandingColumns;

/**
 * GET /ledger.csv: how many support-year rows the actor may see match the filter, and those rows in order,
 * each with its center's standing columns (ledgerYearExportRow makes them cells).
 */
export function ledgerYearsExport(
  actor: Actor,
  filter: LedgerYearFilter,
  sort: LedgerPage['sort'],
): { count: Sql; rows: Sql } {
  const { where, params } = yearsWhereClause(actor, filter);
  // The same rows' centers (the inner select's unqualified columns are its own table's).
  const centers =
    where === UNFILTERED ? undefined : `select center_id from ledger.ledger_years where ${where}`;
  return {
    count: { text: `select count(*) as n from ledger.ledger_years where ${where}`, params },
    rows: {
      text: `select ${COLUMNS}, ${STANDING_COLUMNS} from ledger.ledger_years y ${standingJoin('y.center_id', centers)}
        where ${where} ${yearsOrderBy(sort)}`,
      params,
    },
  };
}

/** A row of ledgerYearsExport as GET /ledger.csv writes it: its center's name and status (CenterCells). */
export function ledgerYearExportRow(row: LedgerYearSelected): LedgerYearExportRow {
  return { ...withCenterCells(row), undisbursed: undisbursedOf(row) };
}

/**
 * One center's ledger (years and entries) with the district it is scoped by, or null when absent; whatever
 * the actor's scope — the caller checks it (assertCanActOrNotFound), so an out-of-scope read is logged.
 */
export async function findLedger(
  db: Queryable,
  centerId: string,
): Promise<{ state: StoredLedger; district: string | null } | null> {
  const { rows } = await db.query<{ state: StoredLedger; district: string | null }>(
    'select state, district from ledger.ledger_centers where center_id = $1',
    [centerId],
  );
  return rows[0] ?? null;
}

/** One ledger entry with its center, for GET /ledger/entries.csv; the amount in fen as a string. */
export interface LedgerEntryRow extends CenterCells {
  centerId: string;
  district: string | null;
  supportYear: number;
  calendarYear: number | null;
  entryId: string;
  kind: string;
  amount: string;
  on: string;
  category: string | null;
  policyVersion: string | null;
  reversesEntryId: string | null;
  correctsEntryId: string | null;
  reason: string | null;
  reference: string | null;
  reversedKind: string | null;
}

/** The ledger entries, one row each with its center's district and its support year's calendar year. */
const ENTRIES = `with entries as (
    select c.center_id, c.district, e.ord, e.entry, (e.entry->>'supportYear')::int as support_year,
      (c.state->'years'->(e.entry->>'supportYear')->>'calendarYear')::int as calendar_year
      from ledger.ledger_centers c
      cross join lateral jsonb_array_elements(c.state->'entries') with ordinality as e(entry, ord))`;

/** An entry as GET /ledger/entries.csv selects it: with its center's standing columns. */
export type LedgerEntrySelected = Omit<LedgerEntryRow, keyof CenterCells> & StandingColumns;

/**
 * GET /ledger/entries.csv: how many entries of the ledgers the actor may see match the filter (`year`: the
 * calendar year of the entry's support year), and those entries by center and then in the order finance
 * recorded them, each with its center's standing columns (ledgerEntryExportRow makes them cells).
 */
export function ledgerEntriesExport(actor: Actor, filter: LedgerFilter): { count: Sql; rows: Sql } {
  const { where, params } = whereClause(actor, filter);
  // The centers in scope and in the district filter: ledger_centers has those columns, not the years'. Its
  // parameters are the first of `where`'s (whereClause adds the year filters after them), same numbers.
  const byCenter = whereClause(actor, { district: filter.district });
  const centers =
    byCenter.where === UNFILTERED
      ? undefined
      : `select center_id from ledger.ledger_centers where ${byCenter.where}`;
  return {
    count: { text: `${ENTRIES} select count(*) as n from entries where ${where}`, params },
    rows: {
      text: `${ENTRIES}
        select center_id as "centerId", district, support_year as "supportYear", calendar_year as "calendarYear",
          entry->>'entryId' as "entryId", entry->>'kind' as kind, entry->>'amount' as amount, entry->>'on' as "on",
          entry->>'category' as category, entry->>'policyVersion' as "policyVersion",
          entry->>'reversesEntryId' as "reversesEntryId", entry->>'correctsEntryId' as "correctsEntryId",
          entry->>'reason' as reason, entry->>'reference' as reference,
          entry->>'reversedKind' as "reversedKind", ${STANDING_COLUMNS}
          from entries ${standingJoin('entries.center_id', centers)} where ${where}
         order by center_id, ord`,
      params,
    },
  };
}

/** A row of ledgerEntriesExport as GET /ledger/entries.csv writes it: its center's name and status. */
export const ledgerEntryExportRow = (row: LedgerEntrySelected): LedgerEntryRow => withCenterCells(row);
