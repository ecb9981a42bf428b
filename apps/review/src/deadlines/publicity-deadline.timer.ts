import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Pool, PoolClient } from 'pg';
import { Actor, uuidv7 } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { Clock, CONFIG, PG_POOL, StoredDeadlineTimer, UnitOfWork } from '@nqpf/platform';
import type { ReviewConfig } from '../config';
import { CandidacyCommandMessage } from '../candidacies/candidacy.command';
import {
  claimDueDeadline,
  markDone,
  migratePublicityDeadlines,
  restorePublicityDeadlines,
} from './publicity-deadlines.store';

export const DEADLINES_ACTOR: Actor = { id: 'review-deadlines', role: 'system' };

/**
 * A9.3: ends publicity when its stored end (24:00 Asia/Shanghai of the last working day) has passed, through
 * the same command path as a request. A candidacy that left publicity another way (an upheld objection)
 * refuses the command; the deadline is then simply done. The deadline is the candidacy id.
 */
@Injectable()
export class PublicityDeadlineTimer extends StoredDeadlineTimer<string> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: ReviewConfig,
    private readonly store: PostgresEventStore,
    private readonly commands: CommandBus,
    uow: UnitOfWork,
    clock: Clock,
  ) {
    super(uow, clock);
  }

  /** Also the deadlines a store refilled after a restore has events for but no rows. */
  protected override async prepare(): Promise<void> {
    await migratePublicityDeadlines(this.pool);
    await restorePublicityDeadlines(this.pool, this.store.schema, (line) => this.logger.error(line));
  }

  protected intervalMs(): number {
    return this.config.REVIEW_DEADLINE_INTERVAL_MS;
  }

  protected async claim(
    tx: PoolClient,
    now: Date,
    excluding: readonly string[],
  ): Promise<string | undefined> {
    return (await claimDueDeadline(tx, now, excluding)) ?? undefined;
  }

  protected async fire(_tx: PoolClient, candidacyId: string): Promise<void> {
    // The handler joins the timer's transaction through the unit of work.
    await this.commands.execute(
      new CandidacyCommandMessage(candidacyId, { kind: 'end-publicity' }, DEADLINES_ACTOR, uuidv7()),
    );
  }

  protected markDone(tx: PoolClient, candidacyId: string, now: Date): Promise<void> {
    return markDone(tx, candidacyId, now);
  }

  protected describe(candidacyId: string): string {
    return `publicity end of ${candidacyId}`;
  }
}
