import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { IllegalTransitionError } from '@nqpf/domain';
import { Clock, CONFIG, PG_POOL, UnitOfWork } from '@nqpf/platform';
import type { ReviewConfig } from '../config';
import { CandidacyCommandMessage } from '../candidacies/candidacy.command';
import { claimDueDeadline, markDone, migratePublicityDeadlines } from './publicity-deadlines.store';

export const DEADLINES_ACTOR: Actor = { id: 'review-deadlines', role: 'system' };

/**
 * Ends publicity when its stored deadline has passed by the injectable clock, through the same command
 * path as a request. The row is claimed with `for update skip locked` (replicas never fire one twice at
 * once) and marked done in the transaction that appends publicity-ended.
 */
@Injectable()
export class DeadlineRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineRunner');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: ReviewConfig,
    private readonly uow: UnitOfWork,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await migratePublicityDeadlines(this.pool);
    const every = this.config.REVIEW_DEADLINE_INTERVAL_MS;
    if (every > 0)
      this.timer = setInterval(
        () => void this.runDue().catch((e: Error) => this.logger.warn(`deadlines: ${e.message}`)),
        every,
      );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Fires every due deadline; returns how many. Concurrent calls share one run. */
  runDue(): Promise<number> {
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
      const candidacyId = await claimDueDeadline(tx, now);
      if (!candidacyId) return false;
      await tx.query('savepoint fire');
      try {
        await this.commands.execute(
          new CandidacyCommandMessage(candidacyId, { kind: 'end-publicity' }, DEADLINES_ACTOR, uuidv7()),
        );
      } catch (err) {
        // The candidacy left publicity another way (an upheld objection): nothing to end.
        if (!(err instanceof IllegalTransitionError)) throw err;
        await tx.query('rollback to savepoint fire');
        this.logger.log(`deadline ${candidacyId}: ${err.message}`);
      }
      await markDone(tx, candidacyId, now);
      return true;
    });
  }
}
