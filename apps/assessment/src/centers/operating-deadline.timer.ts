import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { Clock, CONFIG, PG_POOL } from '@nqpf/platform';
import type { AssessmentConfig } from '../config';
import { claimPassedOperatingDeadline, markOperatingDeadlineFired } from './assessment.store';
import { CenterExecutor } from './center.executor';
import { ASSESSMENT_SYSTEM } from './center.stream';
import { policyInForceOn, shanghaiDate } from './policy';

/**
 * A17.3a: fires the stored deadline (recognition + 2 years, inclusive) the day after it, by the injectable
 * clock; a center with no recorded operation start is revoked. Each deadline fires once.
 */
@Injectable()
export class OperatingDeadlineTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OperatingDeadlineTimer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: AssessmentConfig,
    private readonly executor: CenterExecutor,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.ASSESSMENT_TIMER_INTERVAL_MS;
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
      const centerId = await claimPassedOperatingDeadline(client, today);
      if (!centerId) {
        await client.query('rollback');
        return false;
      }
      await client.query('savepoint fire');
      try {
        await this.executor.run(
          centerId,
          { kind: 'pass-operating-deadline', today, policy: policyInForceOn(today) },
          { actor: ASSESSMENT_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
          client,
        );
      } catch (err) {
        // A deadline the aggregate refuses is logged and not retried forever.
        await client.query('rollback to savepoint fire');
        this.logger.error(`operating deadline of ${centerId}: ${(err as Error).message}`);
      }
      await markOperatingDeadlineFired(client, centerId, now);
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
