import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { PG_POOL } from './tokens';

/**
 * The database transaction a request runs in, when one was opened for it (e.g. by the idempotency
 * interceptor), so that a command's events and its idempotency record commit together.
 */
@Injectable()
export class UnitOfWork {
  private readonly storage = new AsyncLocalStorage<PoolClient>();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  current(): PoolClient | undefined {
    return this.storage.getStore();
  }

  /** Runs `work` in the current transaction, or in a new one committed when `work` resolves. */
  async run<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    const existing = this.current();
    if (existing) return work(existing);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const result = await this.storage.run(client, () => work(client));
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
