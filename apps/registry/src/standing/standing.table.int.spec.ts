import { Pool } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { createRuntimeTables, readModelChecksum } from '@nqpf/projections';
import { begin, createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { cityStanding, matchesFilter } from './city-standing.fixture';
import { standingProjector } from './standing.projector';
import { listStanding, type StandingFilter } from './standing.query';
import { createStandingTable, saveStanding, STANDING_SCHEMA } from './standing.table';

/** The release before's table and save: the filters read the documents, no column kept for them. */
const BEFORE = {
  ddl: `create table standing.standing (center_id text primary key, district text, operator_account_id text,
      phase text not null, status text not null, latest_grade text, submitted_on text, recognized_on text,
      consecutive_unqualified int not null, reports_overdue int not null, row jsonb not null);
    create index if not exists standing_district on standing.standing (district)`,
  save: `insert into standing.standing select r->>'centerId', r->>'district', r->>'operatorAccountId',
      r->>'phase', r->>'status', r->>'latestGrade', r->>'submittedOn', r->>'recognizedOn',
      (r->>'consecutiveUnqualified')::int, (r->>'reportsOverdue')::int, r from jsonb_array_elements($1::jsonb) r`,
};

const bureau: Actor = { id: 'bureau-1', role: 'city_bureau' };
const office: Actor = { id: 'office-1', role: 'district_office', district: '南关区' };
const FILTERS: StandingFilter[] = [
  { awaiting: 'operator:reports' },
  { awaiting: 'district:endorsement' },
  { unassessed: 2034 },
  { unassessed: 2030 },
  { year: 2030, grade: '良好' },
  { year: 2033 },
];
const INDEXES = ['standing_district', 'standing_awaiting', 'standing_year_grades', 'standing_unassessed'];

/**
 * The standing table at start-up (createStandingTable, each start of the projection): a table of the release
 * before gets the filter columns and their indexes once, filled from its documents; a current one is left
 * as it is, without taking a lock a write in flight holds.
 */
describe('the standing table of the release before, at start-up', () => {
  let db: TestDatabase;
  const rows = cityStanding(600);
  beforeAll(async () => {
    db = await createTestDatabase('standing_table');
    await createRuntimeTables(db.pool, STANDING_SCHEMA);
    await db.pool.query(BEFORE.ddl);
    await db.pool.query(BEFORE.save, [JSON.stringify(rows)]);
  });
  afterAll(() => db?.drop());

  const indexes = async (schema: string) =>
    (
      await db.pool.query<{ found: string | null }>(
        'select to_regclass($1 || name)::text as found from unnest($2::text[]) as name',
        [`${schema}.`, INDEXES],
      )
    ).rows.map((r) => r.found);

  it('answers the filters from its rows as soon as it has started, as a rebuilt table would', async () => {
    await createStandingTable(db.pool, STANDING_SCHEMA);
    for (const actor of [bureau, office])
      for (const filter of FILTERS) {
        const expected = rows
          .filter((row) => matchesFilter(row, actor, filter))
          .map((row) => row.centerId)
          .sort();
        const list = await listStanding(db.pool, actor, filter, { limit: rows.length, offset: 0 });
        expect([filter, list.rows.map((row) => row.centerId)]).toEqual([filter, expected]);
      }
    expect(await indexes(STANDING_SCHEMA)).toEqual(INDEXES.map((name) => `${STANDING_SCHEMA}.${name}`));
    // The same rows, column by column, as the save writes into a new table (what a rebuild's checksum reads).
    await createRuntimeTables(db.pool, 'standing_rebuilt');
    await createStandingTable(db.pool, 'standing_rebuilt');
    await saveStanding(db.pool, 'standing_rebuilt', rows);
    const projector = standingProjector('t');
    expect(await readModelChecksum(db.pool, projector, STANDING_SCHEMA)).toBe(
      await readModelChecksum(db.pool, projector, 'standing_rebuilt'),
    );
  });

  it('starts again beside a write in flight without waiting for it, leaving the rows as they are', async () => {
    await createStandingTable(db.pool, STANDING_SCHEMA);
    const versions = async () =>
      (await db.pool.query(`select center_id, xmin::text from standing.standing order by 1`)).rows;
    const before = await versions();
    // The restarting replica's connection: a statement that would queue for a lock fails at once instead.
    const restarting = new Pool({ connectionString: db.url, max: 1, options: '-c lock_timeout=500ms' });
    const writer = await begin(db.pool);
    try {
      // The lock the projection's batches hold on the table until they commit.
      await writer.query('lock table standing.standing in row exclusive mode');
      await createStandingTable(restarting, STANDING_SCHEMA);
    } finally {
      await writer.query('rollback');
      writer.release();
      await restarting.end();
    }
    expect(await versions()).toEqual(before);
  });
});
