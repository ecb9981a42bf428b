import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

/** What the gauges read from a pg Pool. */
export type PoolCounts = Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;

/**
 * The PostgreSQL pool's size, read at scrape time: open clients, idle ones, and callers queued for one
 * (a leaked client shows as total stuck at the pool's max with waiting above zero).
 */
export function registerPoolGauges(registry: Registry, pool: PoolCounts): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('pg_pool_clients', 'PostgreSQL clients open in the pool', () => pool.totalCount);
  gauge('pg_pool_idle_clients', 'PostgreSQL clients open and idle in the pool', () => pool.idleCount);
  gauge('pg_pool_waiting_requests', 'callers waiting for a PostgreSQL client', () => pool.waitingCount);
}
