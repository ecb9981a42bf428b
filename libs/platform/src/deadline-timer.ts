import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DomainError } from '@nqpf/domain';
import { Clock } from './clock';
import { UnitOfWork } from './unit-of-work';

/**
 * Fires stored deadlines (publicity end, report due dates, the two-year operating deadline) once they have
 * passed by the injectable clock. Each deadline is claimed, fired through the service's command path and
 * marked done in one transaction; claims use `for update skip locked`, so replicas never fire one twice.
 * A deadline the aggregate refuses (a DomainError: it moved on another way) is logged and marked done; any
 * other failure rolls back and is retried on the next tick.
 */
export abstract class StoredDeadlineTimer<D> implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

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

  async onApplicationBootstrap(): Promise<void> {
    await this.prepare();
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

  /** Fires every passed deadline; returns how many. Concurrent calls share one run. */
  tick(): Promise<number> {
    this.running ??= this.fireAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async fireAll(): Promise<number> {
    let fired = 0;
    while (await this.fireOne()) fired += 1;
    return fired;
  }

  private fireOne(): Promise<boolean> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const deadline = await this.claim(tx, now);
      if (deadline === undefined) return false;
      await tx.query('savepoint fire');
      try {
        await this.fire(tx, deadline, now);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        await tx.query('rollback to savepoint fire');
        this.logger.log(`deadline ${this.describe(deadline)}: ${err.message}`);
      }
      await this.markDone(tx, deadline, now);
      return true;
    });
  }
}
