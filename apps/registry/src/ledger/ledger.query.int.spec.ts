import type { Actor } from '@nqpf/contracts';
import { createRuntimeTables } from '@nqpf/projections';
import { createTestDatabase, explainPlans, planNodes, type PlanNode, type TestDatabase } from '@nqpf/testing';
import type { Pool } from 'pg';
import type { Sql } from '../standing/csv-export';
import { emptyStanding } from '../standing/standing.row';
import { createStandingTable, saveStanding, STANDING_SCHEMA } from '../standing/standing.table';
import { ledgerEntriesExport, ledgerYearsExport } from './ledger.query';
import { createLedgerTables, LEDGER_SCHEMA } from './ledger.table';

/**
 * The export's statement run under EXPLAIN ANALYZE with sequential scans priced out: on test tables too
 * small for the planner to prefer an index, it shows what the statement *can* be served by.
 */
async function analyzed(pool: Pool, sql: Sql): Promise<PlanNode> {
  const [plan] = await explainPlans(pool, (client) => client.query(sql.text, sql.params), {
    analyze: true,
    settings: { enable_seqscan: 'off' },
  });
  return plan!;
}

/** How many standing rows the plan read (returned, or read and filtered out), over every scan of the table. */
const standingRowsRead = (plan: PlanNode): number =>
  planNodes(plan)
    .map(({ node }) => node)
    .filter((node) => node['Relation Name'] === 'standing')
    .reduce(
      (n, node) =>
        n +
        node['Actual Loops']! *
          (node['Actual Rows']! +
            (node['Rows Removed by Filter'] ?? 0) +
            (node['Rows Removed by Index Recheck'] ?? 0)),
      0,
    );

const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const nanguan: Actor = { id: 'nanguan-1', role: 'district_office', district: '南关区' };
const operator: Actor = { id: 'operator-1', role: 'operator', centerId: 'b-2' };

/**
 * The ledger exports join each center's standing (its name and status): they read the standing documents
 * of the export's centers only, not the whole city's, and answer as the unfiltered export filtered.
 */
describe('ledger exports on PostgreSQL: the standing of their own centers only', () => {
  let db: TestDatabase;
  // 南关区: a-0…a-3 with a standing row, a-4 without (not read yet); 宽城区: b-0…b-3.
  const centers = [
    ...[0, 1, 2, 3, 4].map((i) => ({ id: `a-${i}`, district: '南关区' })),
    ...[0, 1, 2, 3].map((i) => ({ id: `b-${i}`, district: '宽城区' })),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('ledger_query');
    await createRuntimeTables(db.pool, STANDING_SCHEMA);
    await createRuntimeTables(db.pool, LEDGER_SCHEMA);
    await createStandingTable(db.pool, STANDING_SCHEMA);
    await createLedgerTables(db.pool, LEDGER_SCHEMA);
    await saveStanding(
      db.pool,
      STANDING_SCHEMA,
      centers
        .filter((c) => c.id !== 'a-4')
        .map((c) => ({
          ...emptyStanding(c.id),
          district: c.district,
          operatorName: `运营 ${c.id}`,
          status: 'recognised' as const,
        })),
    );
    // Two support years each (2027, 2028), an entry in each.
    for (const { id, district } of centers) {
      await db.pool.query(
        `insert into ledger.ledger_centers (center_id, district, state) values ($1, $2, $3)`,
        [
          id,
          district,
          {
            centerId: id,
            district,
            years: { 1: { calendarYear: 2027 }, 2: { calendarYear: 2028 } },
            entries: [1, 2].map((y) => ({
              entryId: `${id}-${y}`,
              supportYear: y,
              kind: 'grant',
              amount: '100',
            })),
          },
        ],
      );
      await db.pool.query(
        `insert into ledger.ledger_years (center_id, support_year, calendar_year, district, granted, disbursed,
           spent, rejected, cancelled, balance, spent_by_category)
         select $1, y, 2026 + y, $2, 100, 0, 0, 0, 0, 0, '{}' from generate_series(1, 2) as y`,
        [id, district],
      );
    }
    await db.pool.query(
      'analyze standing.standing; analyze ledger.ledger_years; analyze ledger.ledger_centers',
    );
  });
  afterAll(() => db?.drop());

  it('reads the standing of the scope’s or the filter’s centers only, whatever the size of the city', async () => {
    expect(standingRowsRead(await analyzed(db.pool, ledgerYearsExport(nanguan, {}, undefined).rows))).toBe(4);
    expect(standingRowsRead(await analyzed(db.pool, ledgerEntriesExport(nanguan, { year: 2027 }).rows))).toBe(
      4,
    );
    const kuancheng = { district: '宽城区' };
    expect(
      standingRowsRead(await analyzed(db.pool, ledgerYearsExport(bureau, kuancheng, undefined).rows)),
    ).toBe(4);
    expect(standingRowsRead(await analyzed(db.pool, ledgerEntriesExport(bureau, kuancheng).rows))).toBe(4);
    expect(standingRowsRead(await analyzed(db.pool, ledgerYearsExport(operator, {}, undefined).rows))).toBe(
      1,
    );
    expect(standingRowsRead(await analyzed(db.pool, ledgerEntriesExport(operator, {}).rows))).toBe(1);
    // The bureau's unfiltered exports cover every center: they read the whole table, as they must.
    expect(standingRowsRead(await analyzed(db.pool, ledgerYearsExport(bureau, {}, undefined).rows))).toBe(8);
  });

  const rowsOf = async (sql: Sql) => (await db.pool.query(sql.text, sql.params)).rows;

  it('answers as the unfiltered export filtered: the same rows, order and standing cells', async () => {
    const years = await rowsOf(ledgerYearsExport(bureau, {}, undefined).rows);
    const entries = await rowsOf(ledgerEntriesExport(bureau, {}).rows);
    expect(years).toHaveLength(18);
    expect(entries).toHaveLength(18);
    // A ledger without a standing row keeps its rows, with empty cells.
    expect(years.find((r) => r.centerId === 'a-4')).toMatchObject({
      standingStatus: null,
      intakeOperatorName: null,
    });
    expect(years.find((r) => r.centerId === 'a-1')).toMatchObject({
      standingStatus: 'recognised',
      intakeOperatorName: '运营 a-1',
    });
    const inNanguan = (r: { district: string }) => r.district === '南关区';
    expect(await rowsOf(ledgerYearsExport(nanguan, {}, undefined).rows)).toEqual(years.filter(inNanguan));
    expect(await rowsOf(ledgerYearsExport(nanguan, { supportYear: 2 }, undefined).rows)).toEqual(
      years.filter((r) => inNanguan(r) && r.supportYear === 2),
    );
    expect(await rowsOf(ledgerEntriesExport(nanguan, { year: 2027 }).rows)).toEqual(
      entries.filter((r) => inNanguan(r) && r.calendarYear === 2027),
    );
    expect(await rowsOf(ledgerEntriesExport(operator, {}).rows)).toEqual(
      entries.filter((r) => r.centerId === 'b-2'),
    );
    expect(await rowsOf(ledgerYearsExport(bureau, { year: 2028 }, undefined).rows)).toEqual(
      years.filter((r) => r.calendarYear === 2028),
    );
  });
});
