import type { Actor } from '@nqpf/contracts';
import { createRuntimeTables } from '@nqpf/projections';
import { createTestDatabase, explainPlans, planNodes, type PlanNode, type TestDatabase } from '@nqpf/testing';
import type { Pool } from 'pg';
import {
  listStanding,
  standingExport,
  STANDING_SORTS,
  type StandingFilter,
  type StandingPage,
  type StandingSortKey,
} from './standing.query';
import { emptyStanding, type StandingRow } from './standing.row';
import { createStandingTable, saveStanding, STANDING_SCHEMA } from './standing.table';

/** The plan (EXPLAIN VERBOSE: each node's output columns) of the first statement listStanding sends. */
async function planOf(
  pool: Pool,
  actor: Actor,
  filter: StandingFilter,
  page: StandingPage,
): Promise<PlanNode> {
  const [plan] = await explainPlans(pool, (client) => listStanding(client, actor, filter, page), {
    verbose: true,
  });
  return plan!;
}

/** The nodes of the plan that count or number the rows (window functions), and every node under them. */
const windowedNodes = (plan: PlanNode): PlanNode[] =>
  planNodes(plan)
    .filter(({ node, above }) => [...above, node].some((n) => n['Node Type'] === 'WindowAgg'))
    .map(({ node }) => node);

/** Whether a node carries the whole document (`row`, as EXPLAIN VERBOSE names it: `standing."row"`). */
const carriesRow = (node: PlanNode) => (node.Output ?? []).some((column) => /(^|\.)"?row"?$/.test(column));

const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const nanguan: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };
const GRADES = ['优秀', '良好', '合格', '不合格', null] as const;

/**
 * GET /standing's page at the statement: counted and sorted on the narrow columns, the page's documents
 * fetched after; the same rows, order and totals as the whole list filtered and ordered.
 */
describe('listStanding on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('standing_query');
    await createRuntimeTables(db.pool, STANDING_SCHEMA);
    await createStandingTable(db.pool, STANDING_SCHEMA);
    // 40 centers in three districts, with ties in every sort key (the center id breaks them).
    const rows: StandingRow[] = Array.from({ length: 40 }, (_, i) => ({
      ...emptyStanding(`c-${String(i).padStart(2, '0')}`),
      district: ['南关区', '宽城区', '朝阳区'][i % 3]!,
      phase: (['operating', 'recognised', 'submitted', 'revoked'] as const)[i % 4]!,
      status: (['recognised', 'recognised', 'applying', 'revoked'] as const)[i % 4]!,
      latestGrade: GRADES[i % 5]!,
      recognizedOn: i % 4 === 2 ? null : `2026-0${1 + (i % 7)}-10`,
      reportsOverdue: i % 3,
      awaiting: i % 2 === 0 ? ['operator:reports'] : [],
    }));
    await saveStanding(db.pool, STANDING_SCHEMA, rows);
    await db.pool.query('analyze standing.standing');
  });
  afterAll(() => db?.drop());

  it('counts and sorts without the documents: none goes through the window or what feeds it', async () => {
    const cases: [Actor, StandingFilter, StandingPage][] = [
      [bureau, {}, { limit: 10, offset: 20 }],
      [bureau, {}, { sort: { key: 'grade', descending: true }, limit: 10, offset: 20 }],
      [
        bureau,
        { awaiting: 'operator:reports' },
        { sort: { key: 'phase', descending: false }, limit: 5, offset: 0 },
      ],
      [nanguan, { year: 2030, grade: '优秀' }, { limit: 5, offset: 0 }],
    ];
    for (const [actor, filter, page] of cases) {
      const windowed = windowedNodes(await planOf(db.pool, actor, filter, page));
      expect(windowed.length).toBeGreaterThan(0);
      expect(windowed.filter(carriesRow).map((node) => node['Node Type'])).toEqual([]);
    }
  });

  /** The whole list, filtered and ordered as GET /standing.csv selects it. */
  const whole = async (actor: Actor, filter: StandingFilter, sort: StandingPage['sort']) => {
    const { text, params } = standingExport(actor, filter, sort).rows;
    return (await db.pool.query<{ row: StandingRow }>(text, params)).rows.map((r) => r.row);
  };

  it('answers each page as the whole list ordered and cut, with the count of all matching', async () => {
    const filters: [Actor, StandingFilter][] = [
      [bureau, {}],
      [nanguan, {}],
      [bureau, { awaiting: 'operator:reports' }],
      [bureau, { status: 'recognised' }],
    ];
    for (const [actor, filter] of filters) {
      for (const key of Object.keys(STANDING_SORTS) as StandingSortKey[]) {
        for (const descending of [false, true]) {
          const sort = { key, descending };
          const all = await whole(actor, filter, sort);
          for (const [limit, offset] of [
            [7, 0],
            [7, 7],
            [50, 3],
            [5, all.length],
          ]) {
            const page = await listStanding(db.pool, actor, filter, { sort, limit, offset });
            expect(page).toEqual({ total: all.length, rows: all.slice(offset, offset + limit) });
          }
        }
      }
    }
  });
});
