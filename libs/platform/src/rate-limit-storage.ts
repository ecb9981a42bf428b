import { Logger } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Pool } from 'pg';
import { runDdl } from '@nqpf/messaging';

const TABLE = 'rate_limit.windows';
const WARN_EVERY_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Rate-limit counters in the service's PostgreSQL, shared by all its replicas: a client gets
 * SECURITY_RATE_LIMIT requests per window in total, not per replica. A fixed window per key, counted
 * with one upsert per limited request. The table is unlogged: counters need no WAL or commit flush, and
 * losing them in a crash only resets the windows.
 *
 * The limiter protects the service; it must not become a reason to refuse it. While the database does not
 * answer, requests are counted in this replica's memory (the per-replica limit) and a warning is logged.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly fallback = new ThrottlerStorageService();
  private ready?: Promise<void>;
  private lastWarning = 0;

  constructor(private readonly pool: Pool) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockDurationMs: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      return await this.count(key, ttlMs, limit);
    } catch (err) {
      this.warn(`counting in this replica's memory, the database did not answer: ${String(err)}`);
      return this.fallback.increment(key, ttlMs, limit, blockDurationMs, throttlerName);
    }
  }

  /** Forgets windows that ended: the table holds about one row per client seen in the last window. */
  async prune(): Promise<number> {
    await this.migrated();
    const { rowCount } = await this.pool.query(`delete from ${TABLE} where ends_at < clock_timestamp()`);
    return rowCount ?? 0;
  }

  private async count(key: string, ttlMs: number, limit: number): Promise<ThrottlerStorageRecord> {
    await this.migrated();
    const { rows } = await this.pool.query<{ hits: number; seconds_left: number }>(
      `insert into ${TABLE} as w (key, hits, ends_at)
         values ($1, 1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
       on conflict (key) do update set
         hits = case when w.ends_at <= clock_timestamp() then 1 else w.hits + 1 end,
         ends_at = case when w.ends_at <= clock_timestamp() then excluded.ends_at else w.ends_at end
       returning hits, greatest(1, ceil(extract(epoch from ends_at - clock_timestamp())))::int as seconds_left`,
      [key, ttlMs],
    );
    const { hits, seconds_left: secondsLeft } = rows[0]!;
    const isBlocked = hits > limit;
    return {
      totalHits: hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    };
  }

  /**
   * Created on first use, not at start: a service starts (and reports itself unready) while its database is
   * down. Under the shared DDL lock, as replicas starting together on a new database race on the catalog.
   */
  private migrated(): Promise<void> {
    this.ready ??= runDdl(
      this.pool,
      `create schema if not exists rate_limit;
       create unlogged table if not exists ${TABLE} (
         key text primary key,
         hits int not null,
         ends_at timestamptz not null);`,
    ).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}
