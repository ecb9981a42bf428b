import type { Actor } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { scopeWhere } from '../standing/scope-where';
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

/** whereClause on ledger.ledger_years, with what remains to pay as the rows' `undisbursed` computes it. */
function yearsWhereClause(actor: Actor, filter: LedgerYearFilter): { where: string; params: unknown[] } {
  const { where, params } = whereClause(actor, filter);
  if (filter.undisbursed === undefined) return { where, params };
  return { where: `${where} and (${UNDISBURSED_SQL} ${filter.undisbursed ? '>' : '<='} 0)`, params };
}

/** The support-year rows the actor may see that match the filter, one page, and the count of all matching. */
export async function listLedgerYears(
  db: Queryable,
  actor: Actor,
  filter: LedgerYearFilter,
  page: LedgerPage,
): Promise<{ total: number; rows: LedgerYearRow[] }> {
  const { where, params } = yearsWhereClause(actor, filter);
  const sort = page.sort ?? { key: 'centerId', descending: false };
  const direction = sort.descending ? 'desc nulls last' : 'asc nulls last';
  const [{ rows }, counted] = await Promise.all([
    db.query<Omit<LedgerYearRow, 'undisbursed'>>(
      // Sort on the table's columns (y.), not the text aliases of the same names in the select list.
      `select ${COLUMNS} from ledger.ledger_years y where ${where}
        order by y.${LEDGER_SORTS[sort.key]} ${direction}, y.center_id, y.support_year
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
export interface LedgerEntryRow {
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

/**
 * Every entry of the ledgers the actor may see that match the filter (`year`: the calendar year of the
 * entry's support year), by center and then in the order finance recorded them; at most `limit` rows, and
 * the count of all matching.
 */
export async function listLedgerEntries(
  db: Queryable,
  actor: Actor,
  filter: LedgerFilter,
  limit: number,
): Promise<{ total: number; rows: LedgerEntryRow[] }> {
  const { where, params } = whereClause(actor, filter);
  const { rows } = await db.query<LedgerEntryRow & { total: string }>(
    `with entries as (
       select c.center_id, c.district, e.ord, e.entry, (e.entry->>'supportYear')::int as support_year,
         (c.state->'years'->(e.entry->>'supportYear')->>'calendarYear')::int as calendar_year
         from ledger.ledger_centers c
         cross join lateral jsonb_array_elements(c.state->'entries') with ordinality as e(entry, ord))
     select center_id as "centerId", district, support_year as "supportYear", calendar_year as "calendarYear",
       entry->>'entryId' as "entryId", entry->>'kind' as kind, entry->>'amount' as amount, entry->>'on' as "on",
       entry->>'category' as category, entry->>'policyVersion' as "policyVersion",
       entry->>'reversesEntryId' as "reversesEntryId", entry->>'correctsEntryId' as "correctsEntryId",
       entry->>'reason' as reason, entry->>'reference' as reference,
       entry->>'reversedKind' as "reversedKind", count(*) over () as total
       from entries where ${where}
      order by center_id, ord
      limit ${limit}`,
    params,
  );
  const total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  return { total, rows: rows.map(({ total: _total, ...row }) => row) };
}
