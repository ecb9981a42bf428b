import type { Pool, PoolClient } from 'pg';
import { eventually } from './isolation';

/** A transaction of its own on `pool`, begun: the test interleaves it with another, then commits it. */
export async function begin(pool: Pool): Promise<PoolClient> {
  const tx = await pool.connect();
  await tx.query('begin');
  return tx;
}

export async function inTransaction(pool: Pool, work: (tx: PoolClient) => Promise<void>): Promise<void> {
  const tx = await begin(pool);
  try {
    await work(tx);
    await tx.query('commit');
  } catch (err) {
    await tx.query('rollback');
    throw err;
  } finally {
    tx.release();
  }
}

/** Resolves once a statement on the pool's database (its text like `pattern`) waits for a lock. */
export function waitingForLock(pool: Pool, pattern: string): Promise<void> {
  return eventually(
    async () => {
      const { rows } = await pool.query(
        `select 1 from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like $1`,
        [pattern],
      );
      if (rows.length !== 1) throw new Error(`no statement like ${pattern} waits for a lock`);
    },
    10_000,
    20,
  );
}
