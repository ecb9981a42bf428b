import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DomainError } from '@nqpf/domain';
import { Clock } from './clock';
import { MetricsRegistry } from './metrics';
import { UnitOfWork } from './unit-of-work';

/** Where failed firings wait for their next attempt, shared by every timer of the service's database. */
const RETRIES = 'deadline_retries.retries';

/** Deadlines in backoff held at once in one tick; each holds a pooled connection until the tick ends. */
export const MAX_HELD_DEADLINES = 5;

/** A firing that failed (not a DomainError): attempt n waits 1 min × 2^(n−1), at most 1 h. */
export function deadlineRetryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

interface Retry {
  attempts: number;
  nextAttemptAt: Date;
}

type Outcome = 'none' | 'fired' | 'failed' | 'held';

/**
 * Fires stored deadlines (publicity end, report due dates, the two-year operating deadline) once they have
 * passed by the injectable clock. Each deadline is claimed, fired through the service's command path and
 * marked done in one transaction; claims use `for update skip locked`, so replicas never fire one twice.
 * A deadline the aggregate refuses (a DomainError: it moved on another way) is logged and marked done.
 *
 * Any other failure is undone (savepoint) and recorded in deadline_retries.retries (attempts, next attempt:
 * deadlineRetryDelayMs), and the tick moves on to the next deadline. Until its next attempt a deadline is
 * held, its claiming transaction left open and idle to the end of the tick, so the subclass's claim (the
 * first passed deadline, `skip locked`) passes over it without knowing about retries. Failures are logged
 * (an error from the third attempt on) and counted: `deadline_fire_failures_total{timer}`,
 * `deadlines_in_backoff{timer}` (held in the last tick).
 */
export abstract class StoredDeadlineTimer<D> implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private retriesReady?: Promise<void>;
  /** Property-injected, so the subclasses' constructors stay as they are; absent outside a Nest module. */
  @Optional() @Inject(MetricsRegistry) private readonly metricsRegistry?: MetricsRegistry;
  private metrics?: { failures: Counter<'timer'>; inBackoff: Gauge<'timer'> };

  protected constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds between ticks; 0 leaves firing to explicit tick() calls (tests). */
  protected abstract intervalMs(): number;
  protected abstract claim(tx: PoolClient, now: Date): Promise<D | undefined>;
  protected abstract fire(tx: PoolClient, deadline: D, now: Date): Promise<void>;
  protected abstract markDone(tx: PoolClient, deadline: D, now: Date): Promise<void>;
  protected abstract describe(deadline: D): string;
  /** Creates the deadline table; runs before the first tick. */
  protected async prepare(): Promise<void> {}

  /** The deadline's identity among this timer's, for its retry record; the same for every claim of it. */
  protected keyOf(deadline: D): string {
    return typeof deadline === 'string' ? deadline : JSON.stringify(deadline);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.prepare();
    await this.prepareRetries();
    const every = this.intervalMs();
    if (every > 0)
      this.timer = setInterval(
        () => void this.tick().catch((e: Error) => this.logger.warn(`deadlines: ${e.message}`)),
        every,
      );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Fires every passed deadline not waiting for a retry; returns how many. Concurrent calls share one run. */
  tick(): Promise<number> {
    this.running ??= this.fireAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private get timerName(): string {
    return this.constructor.name;
  }

  private prepareRetries(): Promise<void> {
    this.retriesReady ??= this.uow
      .run(async (tx) => {
        // The shared DDL lock (libs/messaging runDdl): start-up migrations of one database run together.
        await tx.query(`select pg_advisory_xact_lock(hashtext('nqpf.ddl'))`);
        await tx.query(`create schema if not exists deadline_retries;
          create table if not exists ${RETRIES} (
            timer text not null,
            deadline text not null,
            attempts int not null,
            next_attempt_at timestamptz not null,
            last_error text not null,
            primary key (timer, deadline))`);
      })
      .catch((err) => {
        this.retriesReady = undefined;
        throw err;
      });
    return this.retriesReady;
  }

  private async fireAll(): Promise<number> {
    await this.prepareRetries();
    let endTick!: () => void;
    const tickEnded = new Promise<void>((resolve) => (endTick = resolve));
    const held: Promise<unknown>[] = [];
    let fired = 0;
    try {
      for (;;) {
        const outcome = await this.fireOne(tickEnded, held);
        if (outcome === 'none') break;
        if (outcome === 'fired') fired += 1;
        if (held.length >= MAX_HELD_DEADLINES) {
          this.logger.error(
            `${held.length} deadlines are waiting to be retried; later deadlines wait for the next tick`,
          );
          break;
        }
      }
    } finally {
      endTick();
      await Promise.allSettled(held);
    }
    this.metricsOf()?.inBackoff.set({ timer: this.timerName }, held.length);
    return fired;
  }

  /**
   * One claimed deadline in one transaction. One in backoff answers 'held' at once, while its transaction
   * stays open until `tickEnded`, keeping the row locked so that the next claim passes over it.
   */
  private fireOne(tickEnded: Promise<void>, held: Promise<unknown>[]): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const run: Promise<Outcome> = this.uow.run(async (tx) => {
        const now = this.clock.now();
        const deadline = await this.claim(tx, now);
        if (deadline === undefined) return 'none';
        const key = this.keyOf(deadline);
        const retry = await this.retryOf(tx, key);
        if (retry && retry.nextAttemptAt > now) {
          held.push(run);
          resolve('held');
          await tickEnded;
          return 'held';
        }
        await tx.query('savepoint fire');
        try {
          await this.fire(tx, deadline, now);
        } catch (err) {
          await tx.query('rollback to savepoint fire');
          if (!(err instanceof DomainError)) {
            await this.recordFailure(tx, deadline, key, (retry?.attempts ?? 0) + 1, now, err);
            return 'failed';
          }
          this.logger.log(`deadline ${this.describe(deadline)}: ${err.message}`);
        }
        await this.markDone(tx, deadline, now);
        if (retry)
          await tx.query(`delete from ${RETRIES} where timer = $1 and deadline = $2`, [this.timerName, key]);
        return 'fired';
      });
      run.then(resolve, reject);
    });
  }

  private async retryOf(tx: PoolClient, key: string): Promise<Retry | undefined> {
    const { rows } = await tx.query<{ attempts: number; next_attempt_at: Date }>(
      `select attempts, next_attempt_at from ${RETRIES} where timer = $1 and deadline = $2`,
      [this.timerName, key],
    );
    return rows[0] && { attempts: rows[0].attempts, nextAttemptAt: rows[0].next_attempt_at };
  }

  private async recordFailure(
    tx: PoolClient,
    deadline: D,
    key: string,
    attempts: number,
    now: Date,
    err: unknown,
  ): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const next = new Date(now.getTime() + deadlineRetryDelayMs(attempts));
    await tx.query(
      `insert into ${RETRIES} (timer, deadline, attempts, next_attempt_at, last_error) values ($1, $2, $3, $4, $5)
       on conflict (timer, deadline) do update set attempts = excluded.attempts,
         next_attempt_at = excluded.next_attempt_at, last_error = excluded.last_error`,
      [this.timerName, key, attempts, next, message],
    );
    this.metricsOf()?.failures.inc({ timer: this.timerName });
    const line = `deadline ${this.describe(deadline)} failed (attempt ${attempts}), retried from ${next.toISOString()}: ${message}`;
    if (attempts >= 3) this.logger.error(line);
    else this.logger.warn(line);
  }

  private metricsOf(): typeof this.metrics {
    const registry = this.metricsRegistry?.registry;
    if (!registry || this.metrics) return this.metrics;
    const existing = (name: string) => registry.getSingleMetric(name);
    this.metrics = {
      failures:
        (existing('deadline_fire_failures_total') as Counter<'timer'> | undefined) ??
        new Counter({
          name: 'deadline_fire_failures_total',
          help: 'deadline firings that failed and were put back for a retry (DomainErrors excluded)',
          labelNames: ['timer'],
          registers: [registry],
        }),
      inBackoff:
        (existing('deadlines_in_backoff') as Gauge<'timer'> | undefined) ??
        new Gauge({
          name: 'deadlines_in_backoff',
          help: 'passed deadlines the last tick found waiting for a retry after failing',
          labelNames: ['timer'],
          registers: [registry],
        }),
    };
    return this.metrics;
  }
}
