import { createTestDatabase, settlesWithin, type TestDatabase } from '@nqpf/testing';
import { migrateOperatingDeadlines } from './operating-deadlines.store';

/**
 * A replica starting beside running ones runs the start-up DDL again: on current tables it must not queue
 * for an exclusive lock behind a read in flight, which would hold every later statement on the table (the
 * running replicas' timer claims and appends) behind it too. (Nor behind a write in flight:
 * test/start-ddl.int.spec.ts.)
 */
describe("reporting's start-up DDL on current tables", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('reporting_ddl');
    await migrateOperatingDeadlines(db.pool);
  });
  afterAll(() => db?.drop());

  it('does not wait for a read in flight on the operating deadlines', async () => {
    const running = await db.pool.connect();
    try {
      await running.query('begin');
      await running.query('select count(*) from reporting.operating_deadlines');
      expect(await settlesWithin(migrateOperatingDeadlines(db.pool), 3000)).toBe(true);
    } finally {
      await running.query('commit');
      running.release();
    }
  });
});
