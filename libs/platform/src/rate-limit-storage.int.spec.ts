import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { PostgresThrottlerStorage } from './rate-limit-storage';

jest.setTimeout(30000);

let db: TestDatabase;
let other: Pool;
beforeAll(async () => {
  db = await createTestDatabase('ratelimit');
  other = new Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await other.end();
  await db.drop();
});

const hit = (storage: PostgresThrottlerStorage, key: string, ttlMs = 60_000, limit = 3) =>
  storage.increment(key, ttlMs, limit, ttlMs, 'default');

describe('PostgresThrottlerStorage', () => {
  it('counts one window per key across replicas: the limit is global, not per replica', async () => {
    const a = new PostgresThrottlerStorage(db.pool);
    const b = new PostgresThrottlerStorage(other);
    const seen = [];
    for (const replica of [a, b, a, b, a]) seen.push(await hit(replica, 'ip:203.0.113.1'));
    expect(seen.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, true],
    ]);
    // Retry-After: the seconds left in the window, at least 1, at most the window.
    const blocked = seen[3]!;
    expect(blocked.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(60);
    expect(seen[0]!.timeToBlockExpire).toBe(0);
    expect((await hit(b, 'ip:203.0.113.2')).totalHits).toBe(1);
  });

  it('starts a new window once the last one ended, and prunes ended windows', async () => {
    const storage = new PostgresThrottlerStorage(db.pool);
    for (let i = 0; i < 4; i++) await hit(storage, 'actor:short', 300, 3);
    expect((await hit(storage, 'actor:short', 300, 3)).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const fresh = await hit(storage, 'actor:short', 300, 3);
    expect([fresh.totalHits, fresh.isBlocked]).toEqual([1, false]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await hit(storage, 'actor:long', 60_000, 3);
    expect(await storage.prune()).toBeGreaterThanOrEqual(1);
    const { rows } = await db.pool.query(`select key from rate_limit.windows where key like 'actor:%'`);
    expect(rows.map((r) => r.key)).toEqual(['actor:long']);
  });

  it("counts in the replica's memory while the database does not answer, then in the database again", async () => {
    let down = true;
    const refused = () => Promise.reject(new Error('connect ECONNREFUSED'));
    const flaky = {
      query: (...args: Parameters<Pool['query']>) => (down ? refused() : db.pool.query(...args)),
      connect: () => (down ? refused() : db.pool.connect()),
    } as unknown as Pool;
    const storage = new PostgresThrottlerStorage(flaky);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await hit(storage, 'ip:198.51.100.7')).isBlocked);
    expect(seen).toEqual([false, false, false, true]);
    down = false;
    expect((await hit(storage, 'ip:198.51.100.7')).totalHits).toBe(1);
    const { rows } = await db.pool.query(`select hits from rate_limit.windows where key = 'ip:198.51.100.7'`);
    expect(rows).toEqual([{ hits: 1 }]);
  });
});
