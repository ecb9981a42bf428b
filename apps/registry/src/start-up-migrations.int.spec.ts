import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { migrateAuditTrail } from './audit/audit.table';
import { migrateCalls } from './calls/calls.read-model';

/** Replicas of the registry starting together on a new database each run the start-up migrations. */
describe("the registry's start-up migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase('registry_ddl')));
  afterAll(async () => db?.drop());

  it('succeed when six replicas run them at once on a new database', async () => {
    const runs = Array.from({ length: 6 }, (_, i) =>
      i % 2 ? migrateCalls(db.pool) : migrateAuditTrail(db.pool),
    );
    expect((await Promise.allSettled(runs)).filter((r) => r.status === 'rejected')).toEqual([]);
    const { rows } = await db.pool.query(
      `select schemaname || '.' || tablename as name from pg_tables
        where schemaname in ('audit', 'read_model') order by 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      'audit.center_districts',
      'audit.stream_trail',
      'audit.trail',
      expect.stringMatching(/^read_model\./),
    ]);
  });
});
