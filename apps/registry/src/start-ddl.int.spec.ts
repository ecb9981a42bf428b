import { createTestDatabase, settlesWithin, type TestDatabase } from '@nqpf/testing';
import { migrateAuditTrail } from './audit/audit.table';
import { createLedgerTables, LEDGER_SCHEMA } from './ledger/ledger.table';

/**
 * A replica starting beside running ones (a rolling deploy, a crash restart) runs the start-up DDL again:
 * on current tables it must not queue for an exclusive lock behind a long read (a city-wide export, a
 * checksum), which would hold every other replica's reads behind it too.
 */
describe("the registry's start-up DDL on current tables", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('registry_ddl');
    await db.pool.query(`create schema if not exists ${LEDGER_SCHEMA}`);
    await createLedgerTables(db.pool, LEDGER_SCHEMA);
    await migrateAuditTrail(db.pool);
  });
  afterAll(() => db?.drop());

  it('does not wait for a read in flight on the ledger or the audit tables', async () => {
    const reader = await db.pool.connect();
    try {
      await reader.query('begin');
      await reader.query(`select count(*) from ${LEDGER_SCHEMA}.ledger_centers`);
      await reader.query('select count(*) from audit.center_districts');
      const restart = Promise.all([createLedgerTables(db.pool, LEDGER_SCHEMA), migrateAuditTrail(db.pool)]);
      expect(await settlesWithin(restart, 3000)).toBe(true);
    } finally {
      await reader.query('commit');
      reader.release();
    }
  });
});
