import type { Actor } from '@nqpf/contracts';
import type { Queryable } from '@nqpf/event-store';
import { STANDING_SORTS, whereClause, type StandingFilter } from './standing.query';

/**
 * What GET /standing/summary groups by: a column of standing.standing, its groups in the order the list's
 * sort on it gives (phase by lifecycle, grade by rank), nulls last.
 */
const GROUPS = {
  district: { column: 'district', order: STANDING_SORTS.district },
  phase: { column: 'phase', order: STANDING_SORTS.phase },
  status: { column: 'status', order: STANDING_SORTS.status },
  latestGrade: { column: 'latest_grade', order: STANDING_SORTS.grade },
} as const;
export type StandingGroupKey = keyof typeof GROUPS;
export const STANDING_GROUP_KEYS = Object.keys(GROUPS) as StandingGroupKey[];

export type StandingGroup = Partial<Record<StandingGroupKey, string | null>> & { count: number };

export interface StandingSummary {
  groupBy: StandingGroupKey[];
  /** The centers counted: as many as GET /standing lists with the same filters (its `total`). */
  total: number;
  groups: StandingGroup[];
}

/**
 * The centers the actor may list that match the filter, counted per group: the list's own WHERE (scope and
 * filters), so a count never covers a center the list would not show. One statement, one snapshot.
 */
export async function summarizeStanding(
  db: Queryable,
  actor: Actor,
  filter: StandingFilter,
  groupBy: StandingGroupKey[],
): Promise<StandingSummary> {
  const { where, params } = whereClause(actor, filter);
  const groups = groupBy.map((key) => ({ key, ...GROUPS[key] }));
  const { rows } = await db.query<Record<string, string | null>>(
    `select ${groups.map((g) => `${g.column} as "${g.key}"`).join(', ')}, count(*) as count
       from standing.standing where ${where}
      group by ${groups.map((g) => g.column).join(', ')}
      order by ${groups.map((g) => `${g.order} asc nulls last`).join(', ')}`,
    params,
  );
  const counted = rows.map((row) => ({
    ...Object.fromEntries(groupBy.map((key) => [key, row[key] ?? null])),
    count: Number(row.count),
  }));
  return { groupBy, total: counted.reduce((sum, g) => sum + g.count, 0), groups: counted };
}
