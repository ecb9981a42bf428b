import type { Actor } from '@nqpf/contracts';
import { createRuntimeTables } from '@nqpf/projections';
import { createTestDatabase, explainPlans, planNodes, type PlanNode, type TestDatabase } from '@nqpf/testing';
import type { Pool, PoolClient } from 'pg';
import { cityStanding, matchesFilter } from './city-standing.fixture';
import { listStanding, standingExport, type StandingFilter } from './standing.query';
import type { StandingRow } from './standing.row';
import { summarizeStanding } from './standing.summary';
import { createStandingTable, saveStanding, STANDING_SCHEMA } from './standing.table';

const CENTERS = 4000;
const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const office: Actor = { id: 'office-1', role: 'district_office', district: '南关区' };

/** A plan node with the conditions EXPLAIN prints for a scan. */
type Scan = PlanNode & { Filter?: string; 'Recheck Cond'?: string };

/**
 * The statements GET /standing, /standing/summary and /standing.csv send for the filter, as each actor; the
 * export's rows only when `exported`.
 */
async function statements(tx: PoolClient, filter: StandingFilter, exported: boolean): Promise<void> {
  for (const actor of [bureau, office]) {
    await listStanding(tx, actor, filter, { limit: 50, offset: 0 });
    await summarizeStanding(tx, actor, filter, ['latestGrade']);
    const { count, rows } = standingExport(actor, filter, undefined);
    await tx.query(count.text, count.params);
    if (exported) await tx.query(rows.text, rows.params);
  }
}

/** Each scan of standing.standing in the plans: what it is, what it reads by and filters on, rows read. */
async function scans(
  pool: Pool,
  filter: StandingFilter,
  exported = true,
  settings: Record<string, string> = {},
) {
  const plans = await explainPlans(pool, (tx) => statements(tx, filter, exported), {
    analyze: true,
    settings,
  });
  return plans.map((plan) =>
    planNodes(plan)
      .map(({ node }) => node as Scan)
      .filter((node) => node['Relation Name'] === 'standing' || node['Index Name']?.startsWith('standing'))
      .map((node) => ({
        type: node['Node Type'],
        index: node['Index Name'],
        conditions: [node['Index Cond'], node['Recheck Cond'], node.Filter].filter(Boolean).join(' '),
        read:
          ((node['Actual Rows'] ?? 0) +
            (node['Rows Removed by Filter'] ?? 0) +
            (node['Rows Removed by Index Recheck'] ?? 0)) *
          (node['Actual Loops'] ?? 1),
      })),
  );
}

const SELECTIVE: [StandingFilter, string][] = [
  [{ awaiting: 'operator:reports' }, 'standing_awaiting'],
  [{ unassessed: 2030 }, 'standing_unassessed'],
  [{ year: 2030, grade: '优秀' }, 'standing_year_grades'],
  [{ year: 2034, grade: '不合格' }, 'standing_year_grades'],
];
/** Filters most of the city may match: the planner may rightly read every row, but only the columns. */
const BROAD: [StandingFilter, string][] = [[{ unassessed: 2034 }, 'standing_unassessed']];
/** Every filter read from the columns: `year` alone has no index (about every center recognised by then). */
const FILTERS: StandingFilter[] = [...SELECTIVE, ...BROAD].map(([filter]) => filter).concat({ year: 2030 });

/**
 * `awaiting`, `unassessed` and `year` (with or without `grade`) read inside each row's document: every row
 * of the city unpacked, 47–75 ms a statement at 20 000 centers (docs/performance.md "Query plans at city
 * scale"). They now read columns kept beside it (standing.table.ts), all but `year` alone through indexes.
 */
describe('the standing filters that read the documents, at a few thousand centers', () => {
  let db: TestDatabase;
  const rows = cityStanding(CENTERS);
  beforeAll(async () => {
    db = await createTestDatabase('standing_filters_plan');
    await createRuntimeTables(db.pool, STANDING_SCHEMA);
    await createStandingTable(db.pool, STANDING_SCHEMA);
    for (let from = 0; from < rows.length; from += 1000)
      await saveStanding(db.pool, STANDING_SCHEMA, rows.slice(from, from + 1000));
    await db.pool.query('vacuum analyze standing.standing');
  });
  afterAll(() => db?.drop());

  it.each(SELECTIVE)('reads %j through %s, never most of the city', async (filter, index) => {
    for (const plan of await scans(db.pool, filter)) {
      expect(plan.map((scan) => scan.index)).toContain(index);
      expect(plan.filter((scan) => scan.type === 'Seq Scan' || scan.read > CENTERS / 2)).toEqual([]);
    }
  });

  it.each(FILTERS)('filters %j without unpacking a document', async (filter) => {
    const unpacking = (await scans(db.pool, filter)).flat().filter((scan) => /"row"/.test(scan.conditions));
    expect(unpacking).toEqual([]);
  });

  // The export's rows are left out: for half the city, walking the key index spares sorting the documents.
  // A district office's statements may read its district's rows by standing_district instead.
  it.each(BROAD)('can count and page %j through %s instead of every row', async (filter, index) => {
    const read = (await scans(db.pool, filter, false, { enable_seqscan: 'off' })).flat();
    expect(read.map((scan) => scan.index)).toContain(index);
    expect(read.filter((scan) => scan.read >= CENTERS)).toEqual([]);
  });

  it('answers each filter as the documents do, on every page, count and summary', async () => {
    const more: StandingFilter[] = [
      { awaiting: 'district:endorsement' },
      { awaiting: 'bureau:objection-ruling' },
      { unassessed: 2026 },
      { year: 2034 },
      { grade: '优秀' },
    ];
    for (const actor of [bureau, office])
      for (const filter of [...FILTERS, ...more]) {
        const expected = rows
          .filter((row) => matchesFilter(row, actor, filter))
          .map((row) => row.centerId)
          .sort();
        const list = await listStanding(db.pool, actor, filter, { limit: CENTERS, offset: 0 });
        expect([list.total, list.rows.map((row) => row.centerId)]).toEqual([expected.length, expected]);
        const sort = { key: 'grade' as const, descending: true };
        const { text, params } = standingExport(actor, filter, sort).rows;
        const whole = (await db.pool.query<{ row: StandingRow }>(text, params)).rows.map((r) => r.row);
        expect(whole.map((row) => row.centerId).sort()).toEqual(expected);
        for (const offset of [0, 7, expected.length])
          expect(await listStanding(db.pool, actor, filter, { sort, limit: 7, offset })).toEqual({
            total: expected.length,
            rows: whole.slice(offset, offset + 7),
          });
        expect((await summarizeStanding(db.pool, actor, filter, ['district'])).total).toBe(expected.length);
      }
  });
});
