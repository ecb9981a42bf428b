import type { Pool, PoolClient } from 'pg';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs read-model DDL under one advisory lock. Consumers of the same database start together, and a
 * concurrent `create schema/table if not exists` that does not take the lock (calls/) can still collide
 * on the catalog: that attempt is simply repeated.
 */
export async function migrateReadModel(
  pool: Pool,
  migrate: (db: PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('nqpf.read_model.migrate'))`);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await migrate(client);
        } catch (err) {
          if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 3) throw err;
        }
      }
    } finally {
      await client.query(`select pg_advisory_unlock(hashtext('nqpf.read_model.migrate'))`);
    }
  } finally {
    client.release();
  }
}
