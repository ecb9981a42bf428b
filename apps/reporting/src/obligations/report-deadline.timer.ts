import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { Clock, CONFIG, PG_POOL } from '@nqpf/platform';
import type { ReportingConfig } from '../config';
import { ObligationsExecutor } from './obligations.executor';
import { REPORTING_SYSTEM } from './obligations.stream';
import { policyInForceOn, shanghaiDate } from './policy';
import { claimPassedDeadline, markFired } from './report-deadlines.store';

/**
 * Fires stored report deadlines whose due date has passed by the injectable clock: the report becomes
 * overdue if missing, and the next period is scheduled. Each deadline fires once (row lock + fired_at).
 */
@Injectable()
export class ReportDeadlineTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportDeadlineTimer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: ReportingConfig,
    private readonly executor: ObligationsExecutor,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.REPORTING_TIMER_INTERVAL_MS;
    if (every > 0) this.timer = setInterval(() => void this.tick().catch(() => undefined), every);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Fires every passed deadline; returns how many fired. Concurrent calls share one run. */
  tick(): Promise<number> {
    this.running ??= this.fireAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async fireAll(): Promise<number> {
    let fired = 0;
    while (await this.fireOne()) fired += 1;
    return fired;
  }

  private async fireOne(): Promise<boolean> {
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const deadline = await claimPassedDeadline(client, today);
      if (!deadline) {
        await client.query('rollback');
        return false;
      }
      await client.query('savepoint fire');
      try {
        await this.executor.run(
          deadline.centerId,
          { kind: 'pass-report-deadline', period: deadline.period, today, policy: policyInForceOn(today) },
          { actor: REPORTING_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
          client,
        );
      } catch (err) {
        // A deadline the aggregate refuses is logged and not retried forever.
        await client.query('rollback to savepoint fire');
        this.logger.error(`deadline ${deadline.centerId} ${deadline.period}: ${(err as Error).message}`);
      }
      await markFired(client, deadline, now);
      await client.query('commit');
      return true;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
