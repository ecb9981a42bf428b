import type { Actor } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { yearsWhereClause, type LedgerYearFilter } from './ledger.query';
import { UNDISBURSED_SQL } from './ledger.view';

/** What GET /ledger/summary groups by: a column of ledger.ledger_years (`year`: the calendar year). */
const GROUP_COLUMNS = { district: 'district', year: 'calendar_year', supportYear: 'support_year' } as const;
export type LedgerGroupKey = keyof typeof GROUP_COLUMNS;
export const LEDGER_GROUP_KEYS = Object.keys(GROUP_COLUMNS) as LedgerGroupKey[];

/** Each amount summed, as the list's rows have it; `undisbursed` as its filter computes it. */
const AMOUNTS = {
  granted: 'granted',
  disbursed: 'disbursed',
  spent: 'spent',
  rejected: 'rejected',
  cancelled: 'cancelled',
  balance: 'balance',
  undisbursed: UNDISBURSED_SQL,
} as const;
type Amount = keyof typeof AMOUNTS;

/** Sums of support years: integer fen as decimal strings, summed as numeric (exact past bigint and 2^53). */
export type LedgerSums = Record<Amount, string> & { spentByCategory: Record<string, string> };
export type LedgerGroup = Partial<Record<LedgerGroupKey, string | number | null>> & {
  /** The center-years summed. */
  years: number;
} & LedgerSums;

export interface LedgerSummary {
  groupBy: LedgerGroupKey[];
  /** The center-years summed: as many as GET /ledger lists with the same filters (its `total`). */
  years: number;
  /** Over every group. */
  totals: LedgerSums;
  groups: LedgerGroup[];
}

/** A row of the statement: a group's keys as g0, g1; `whole` 0 for a group, else the whole. */
type SummaryRow = { [alias: `g${number}`]: string | number | null } & {
  whole: number;
  years: string;
  spentByCategory: Record<string, string>;
} & Record<Amount, string>;

/**
 * The support years the actor may list that match the filter, summed per group and over all: the list's own
 * WHERE (scope and filters), so a sum never covers a year the list would not show. One statement (one
 * snapshot): the groups and the whole are grouping sets of one scan, spending per category the same sets
 * over the categories, joined back on the group (`whole` tells the whole from a group whose keys are null).
 * Groups are ordered by the first key, then the second, ascending, nulls last, as `?sort=` orders the list.
 */
export async function summarizeLedger(
  db: Queryable,
  actor: Actor,
  filter: LedgerYearFilter,
  groupBy: LedgerGroupKey[],
): Promise<LedgerSummary> {
  const { where, params } = yearsWhereClause(actor, filter);
  const keys = groupBy.map((key, i) => ({ key, alias: `g${i}`, column: GROUP_COLUMNS[key] }));
  const g = keys.map((k) => k.alias).join(', ');
  const sums = Object.entries(AMOUNTS)
    .map(([name, sql]) => `coalesce(sum((${sql})::numeric), 0)::text as "${name}"`)
    .join(', ');
  const sameGroup = keys.map((k) => `c.${k.alias} is not distinct from s.${k.alias}`).join(' and ');
  const { rows } = await db.query<SummaryRow>(
    `with y as (
       select ${keys.map((k) => `${k.column} as ${k.alias}`).join(', ')}, ${Object.keys(AMOUNTS)
         .filter((name) => name !== 'undisbursed')
         .join(', ')}, spent_by_category
         from ledger.ledger_years where ${where}),
     s as (
       select ${g}, grouping(${g}) as whole, count(*) as years, ${sums}
         from y group by grouping sets ((${g}), ())),
     c as (
       select ${g}, whole, jsonb_object_agg(category, fen::text) as by_category
         from (select ${g}, grouping(${g}) as whole, e.key as category, sum(e.value::numeric) as fen
                 from y cross join lateral jsonb_each_text(y.spent_by_category) e
                group by grouping sets ((${g}, e.key), (e.key))) per_category
        group by ${g}, whole)
     select s.*, coalesce(c.by_category, '{}'::jsonb) as "spentByCategory"
       from s left join c on c.whole = s.whole and ${sameGroup}
      order by s.whole, ${keys.map((k) => `s.${k.alias} asc nulls last`).join(', ')}`,
    params,
  );
  const sumsOf = (row: SummaryRow): LedgerSums => ({
    ...(Object.fromEntries(Object.keys(AMOUNTS).map((name) => [name, row[name as Amount]])) as Record<
      Amount,
      string
    >),
    spentByCategory: row.spentByCategory,
  });
  const whole = rows.find((row) => row.whole !== 0)!;
  return {
    groupBy,
    years: Number(whole.years),
    totals: sumsOf(whole),
    groups: rows
      .filter((row) => row.whole === 0)
      .map((row) => ({
        ...Object.fromEntries(keys.map((k) => [k.key, row[k.alias as `g${number}`] ?? null])),
        years: Number(row.years),
        ...sumsOf(row),
      })),
  };
}
