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
      await reader.query('select count(*) from audit.trail');
      const restart = Promise.all([createLedgerTables(db.pool, LEDGER_SCHEMA), migrateAuditTrail(db.pool)]);
      expect(await settlesWithin(restart, 3000)).toBe(true);
    } finally {
      await reader.query('commit');
      reader.release();
    }
  });

  it('does not wait for a write in flight on the audit tables', async () => {
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      for (const table of ['trail', 'stream_trail'])
        await writer.query(
          `insert into audit.${table} (event_id, topic, ${table === 'trail' ? 'center_id, ' : ''}type, stream_id,
             stream_version, occurred_at, recorded_at, actor, decisions)
           values ($1, 't', ${table === 'trail' ? "'c', " : ''}'x.y', 's', 1, now(), now(), '{}', '[]')`,
          [`in-flight-${table}`],
        );
      expect(await settlesWithin(migrateAuditTrail(db.pool), 3000)).toBe(true);
    } finally {
      await writer.query('rollback');
      writer.release();
    }
  });

  it('adds the index of the city-wide trail query to the tables of the release before, keeping their lines', async () => {
    const indexes = async () =>
      (
        await db.pool.query(
          `select indexname from pg_indexes where schemaname = 'audit' and tablename = 'trail'`,
        )
      ).rows.map((r) => r.indexname as string);
    // The release before: the trail without the index, with a line in it.
    await db.pool.query('drop index audit.trail_by_type');
    await db.pool.query(
      `insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at,
         recorded_at, actor, reason, decisions)
       values ('e-before', 'review', 'center-1', 'review.center-recognized', 's', 1, now(), now(), '{}', null, '[]')`,
    );
    expect(await indexes()).not.toContain('trail_by_type');
    await migrateAuditTrail(db.pool);
    expect(await indexes()).toContain('trail_by_type');
    const { rows } = await db.pool.query(
      `select indexdef from pg_indexes where schemaname = 'audit' and indexname = 'trail_by_type'`,
    );
    expect(rows[0].indexdef).toContain('(type, recorded_at, seq)');
    expect((await db.pool.query(`select event_id from audit.trail`)).rows).toEqual([
      { event_id: 'e-before' },
    ]);
  });

  it("adds the index of a center trail's pages to the tables of the release before, keeping their lines", async () => {
    const definition = async () =>
      (
        await db.pool.query(
          `select indexdef from pg_indexes where schemaname = 'audit' and indexname = 'trail_by_center_topic'`,
        )
      ).rows[0]?.indexdef as string | undefined;
    // The release before: the trail without the index, with a line in it.
    await db.pool.query('drop index audit.trail_by_center_topic');
    await db.pool.query(
      `insert into audit.trail (event_id, topic, center_id, type, stream_id, stream_version, occurred_at,
         recorded_at, actor, reason, decisions)
       values ('e-paged', 'intake', 'center-2', 'intake.application-submitted', 's', 1, now(), now(), '{}',
         null, '[]')`,
    );
    expect(await definition()).toBeUndefined();
    await migrateAuditTrail(db.pool);
    expect(await definition()).toContain('(center_id, topic, seq) INCLUDE (recorded_at, type)');
    expect(
      (await db.pool.query(`select event_id from audit.trail where center_id = 'center-2'`)).rows,
    ).toEqual([{ event_id: 'e-paged' }]);
  });
});
