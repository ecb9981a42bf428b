import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { Clock, CONFIG, PG_POOL, PublishedPolicies, StoredDeadlineTimer, UnitOfWork } from '@nqpf/platform';
import { addDays, shanghaiToday } from '@nqpf/rules';
import type { ReportingConfig } from '../config';
import { ObligationsExecutor } from './obligations.executor';
import { REPORTING_SYSTEM } from './obligations.stream';
import {
  claimPassedDeadline,
  markFired,
  PendingDeadline,
  rearmOwedAfterRevocation,
  reportDeadlineKey,
  restoreReportDeadlines,
} from './report-deadlines.store';

/**
 * A14/A15: when a report's due date has passed, the report becomes overdue if it is missing, and the next
 * period is scheduled; after a revocation, for the periods ended by its day only.
 */
@Injectable()
export class ReportDeadlineTimer extends StoredDeadlineTimer<PendingDeadline> {
  constructor(
    @Inject(CONFIG) private readonly config: ReportingConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly executor: ObligationsExecutor,
    private readonly policies: PublishedPolicies,
    private readonly store: PostgresEventStore,
    uow: UnitOfWork,
    clock: Clock,
  ) {
    super(uow, clock);
  }

  protected intervalMs(): number {
    return this.config.REPORTING_TIMER_INTERVAL_MS;
  }

  /**
   * The deadlines a store refilled after a restore has events for but no rows, and those of reports still
   * owed after a revocation that an older release passed without effect.
   */
  protected override async prepare(): Promise<void> {
    const log = this.distinctErrors();
    await restoreReportDeadlines(this.pool, this.store.schema, log);
    await rearmOwedAfterRevocation(this.pool, this.store.schema, log);
  }

  protected async claim(
    tx: PoolClient,
    now: Date,
    excluding: readonly string[],
  ): Promise<PendingDeadline | undefined> {
    return (await claimPassedDeadline(tx, shanghaiToday(now), excluding)) ?? undefined;
  }

  protected override keyOf(deadline: PendingDeadline): string {
    return reportDeadlineKey(deadline);
  }

  /**
   * Under the policy in force on the day the deadline passed (the day after the due date), not on the day
   * the timer got to it: the next period's due date must not depend on the timer's lag across a policy's
   * effective date.
   */
  protected async fire(tx: PoolClient, deadline: PendingDeadline, now: Date): Promise<void> {
    await this.executor.run(
      deadline.centerId,
      {
        kind: 'pass-report-deadline',
        period: deadline.period,
        today: shanghaiToday(now),
        policy: await this.policies.inForceOn(addDays(deadline.dueOn, 1), tx),
      },
      { actor: REPORTING_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
      { tx },
    );
  }

  protected markDone(tx: PoolClient, deadline: PendingDeadline, now: Date): Promise<void> {
    return markFired(tx, deadline, now);
  }

  protected describe(deadline: PendingDeadline): string {
    return `${deadline.centerId} ${deadline.period}`;
  }
}
