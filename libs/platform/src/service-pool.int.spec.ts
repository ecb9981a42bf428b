import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { createServicePool } from './service-pool';

jest.setTimeout(30000);

describe('the service pool', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await createTestDatabase('service_pool')));
  afterAll(async () => db.drop());

  it('has the server end a transaction left idle, releasing its locks, and keeps serving', async () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const pool = createServicePool(
      { DATABASE_URL: db.url, DATABASE_POOL_MAX: 5, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 300 },
      'pool-test',
      log as never,
    );
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      const stalled = await pool.connect();
      await stalled.query('begin');
      await stalled.query('select pg_advisory_xact_lock(4242)');
      const held = await other.query('select pg_try_advisory_lock(4242) as got');
      expect(held.rows[0].got).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 1000));
      const freed = await other.query('select pg_try_advisory_lock(4242) as got');
      expect(freed.rows[0].got).toBe(true);
      await expect(stalled.query('select 1')).rejects.toThrow();
      stalled.release(true);
      expect(warnings.join('\n')).toMatch(/idle-in-transaction/);

      const { rows } = await pool.query('select 1 as ok');
      expect(rows[0].ok).toBe(1);
    } finally {
      await other.end();
      await pool.end();
    }
  });
});
