import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DomainError } from '@nqpf/domain';
import { NotReadyYet, passesByItself } from '@nqpf/messaging';
import { Clock } from './clock';
import { MetricsRegistry } from './metrics';
import { UnitOfWork } from './unit-of-work';

/** Where failed firings wait for their next attempt, shared by every timer of the service's database. */
const RETRIES = 'deadline_retries.retries';

/** A firing that failed (not a DomainError): attempt n waits 1 min × 2^(n−1), at most 1 h. */
export function deadlineRetryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Fires stored deadlines (publicity end, report due dates, the two-year operating deadline) once they have
 * passed by the injectable clock. Each deadline is claimed, fired through the service's command path and
 * marked done in one transaction; claims use `for update skip locked`, so replicas never fire one twice.
 * A deadline the aggregate refuses (a DomainError: it moved on another way) is logged and marked done.
 *
 * Any other failure is undone (savepoint) and recorded in deadline_retries.retries (attempts, next attempt:
 * deadlineRetryDelayMs); the claim then passes over it (`excluding`) until its next attempt, so the deadlines
 * after it still fire. Failures are logged (an error from the third attempt on) and counted:
 * `deadline_fire_failures_total{timer}`, `deadlines_in_backoff{timer}` (waiting at the end of the last tick).
 * What passes by itself (passesByItself: NotReadyYet, a conflict) is only passed over until the next tick.
 */
export abstract class StoredDeadlineTimer<D> implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private prepared?: Promise<void>;
  private stopping = false;
  /** Property-injected, so the subclasses' constructors stay as they are; absent outside a Nest module. */
  @Optional() @Inject(MetricsRegistry) private readonly metricsRegistry?: MetricsRegistry;
  private metrics?: { failures: Counter<'timer'>; inBackoff: Gauge<'timer'> };

  protected constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds between ticks; 0 leaves firing to explicit tick() calls (tests). */
  protected abstract intervalMs(): number;
  /** The first passed deadline, locked (`for update skip locked`), whose key is not in `excluding`. */
  protected abstract claim(tx: PoolClient, now: Date, excluding: readonly string[]): Promise<D | undefined>;
  protected abstract fire(tx: PoolClient, deadline: D, now: Date): Promise<void>;
  protected abstract markDone(tx: PoolClient, deadline: D, now: Date): Promise<void>;
  protected abstract describe(deadline: D): string;
  /** Creates the deadline table; runs before the first firing. */
  protected async prepare(): Promise<void> {}

  /**
   * For prepare's reads of the store (versionsToRead): logs each line as an error, once, however many of its
   * reads count the same events left to a newer replica.
   */
  protected distinctErrors(): (line: string) => void {
    const logged = new Set<string>();
    return (line) => {
      if (logged.has(line)) return;
      logged.add(line);
      this.logger.error(line);
    };
  }

  /** The deadline's key, as `claim` compares it with `excluding`: the id itself for string deadlines. */
  protected keyOf(deadline: D): string {
    return String(deadline);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Waiting on another part of the service (its copy of the policy book) is no reason not to start:
    // the first tick that can prepares.
    this.prepared = undefined;
    this.stopping = false;
    await this.ensurePrepared().catch((err: Error) => {
      if (!(err instanceof NotReadyYet)) throw err;
      this.logger.warn(`deadlines: preparing at the next tick: ${err.message}`);
    });
    const every = this.intervalMs();
    if (every > 0)
      this.timer = setInterval(
        () => void this.tick().catch((e: Error) => this.logger.warn(`deadlines: ${e.message}`)),
        every,
      );
  }

  /**
   * Stops after the firing in hand (each is its own transaction): a backlog is left to the next tick of
   * another replica, not worked through past the shutdown grace, which would cut the consumers and the
   * relay off.
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
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

  private ensurePrepared(): Promise<void> {
    this.prepared ??= (async () => {
      await this.prepare();
      await this.uow.run(async (tx) => {
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
      });
    })().catch((err) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  private async fireAll(): Promise<number> {
    await this.ensurePrepared();
    const { rows } = await this.uow.run((tx) =>
      tx.query<{ deadline: string }>(
        `select deadline from ${RETRIES} where timer = $1 and next_attempt_at > $2`,
        [this.timerName, this.clock.now()],
      ),
    );
    const excluding = new Set(rows.map((r) => r.deadline));
    let fired = 0;
    while (!this.stopping) {
      const outcome = await this.fireOne(excluding);
      if (outcome === 'none') break;
      if (outcome === 'fired') fired += 1;
    }
    this.metricsOf()?.inBackoff.set({ timer: this.timerName }, excluding.size);
    return fired;
  }

  /** One claimed deadline in one transaction; a failed one joins `excluding` for the rest of the tick. */
  private fireOne(excluding: Set<string>): Promise<'none' | 'fired' | 'failed'> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const deadline = await this.claim(tx, now, [...excluding]);
      if (deadline === undefined) return 'none';
      const key = this.keyOf(deadline);
      // A claim that ignored `excluding` would have this tick retry one failing deadline for ever.
      if (excluding.has(key))
        throw new Error(`${this.timerName}: claim returned ${key}, which it was told to skip`);
      // Put back for a retry since this tick began (by another replica's tick): its backoff holds.
      const { rowCount } = await tx.query(
        `select 1 from ${RETRIES} where timer = $1 and deadline = $2 and next_attempt_at > $3`,
        [this.timerName, key, now],
      );
      if (rowCount) {
        excluding.add(key);
        return 'failed';
      }
      await tx.query('savepoint fire');
      try {
        await this.fire(tx, deadline, now);
      } catch (err) {
        await tx.query('rollback to savepoint fire');
        // Passes by itself (the policy copy catching up, a conflict): the next tick, not a backoff.
        if (err instanceof Error && passesByItself(err)) {
          excluding.add(key);
          this.logger.warn(`deadline ${this.describe(deadline)} waits: ${err.message}`);
          return 'failed';
        }
        if (!(err instanceof DomainError)) {
          excluding.add(key);
          await this.recordFailure(tx, deadline, key, now, err);
          return 'failed';
        }
        this.logger.log(`deadline ${this.describe(deadline)}: ${err.message}`);
      }
      await this.markDone(tx, deadline, now);
      await tx.query(`delete from ${RETRIES} where timer = $1 and deadline = $2`, [this.timerName, key]);
      return 'fired';
    });
  }

  private async recordFailure(
    tx: PoolClient,
    deadline: D,
    key: string,
    now: Date,
    err: unknown,
  ): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    // The claimed deadline's row lock keeps other replicas off its retry record.
    const { rows } = await tx.query<{ attempts: number }>(
      `select attempts from ${RETRIES} where timer = $1 and deadline = $2`,
      [this.timerName, key],
    );
    const attempts = (rows[0]?.attempts ?? 0) + 1;
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
