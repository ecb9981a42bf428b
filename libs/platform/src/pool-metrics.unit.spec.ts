import { Registry } from 'prom-client';
import { registerPoolGauges, type PoolCounts } from './pool-metrics';

async function values(registry: Registry): Promise<Record<string, number | undefined>> {
  const metrics = await registry.getMetricsAsJSON();
  return Object.fromEntries(metrics.map((m) => [m.name, m.values[0]?.value]));
}

describe('pool gauges', () => {
  it('report the pool counts as they are when scraped', async () => {
    const registry = new Registry();
    const pool: PoolCounts = { totalCount: 3, idleCount: 2, waitingCount: 0 };
    registerPoolGauges(registry, pool);
    expect(await values(registry)).toEqual({
      pg_pool_clients: 3,
      pg_pool_idle_clients: 2,
      pg_pool_waiting_requests: 0,
    });

    Object.assign(pool, { totalCount: 20, idleCount: 0, waitingCount: 7 });
    expect(await values(registry)).toEqual({
      pg_pool_clients: 20,
      pg_pool_idle_clients: 0,
      pg_pool_waiting_requests: 7,
    });
  });
});
