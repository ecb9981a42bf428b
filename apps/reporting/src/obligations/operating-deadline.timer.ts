import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { Clock, CONFIG, PG_POOL, PublishedPolicies, StoredDeadlineTimer, UnitOfWork } from '@nqpf/platform';
import { operatingDeadline, shanghaiToday } from '@nqpf/rules';
import type { ReportingConfig } from '../config';
import { ObligationsExecutor } from './obligations.executor';
import { obligationsStream, REPORTING_SYSTEM } from './obligations.stream';
import { storedStartDeclarationsClose } from '../domain/obligations/operating-deadline';
import {
  claimPassedOperatingDeadline,
  markOperatingDeadlineFired,
  openedWithoutStoredDeadline,
  rearmOperatingDeadlinesFiredEarly,
  storeOperatingDeadline,
  storeStartDeclarationsClose,
} from './operating-deadlines.store';

/**
 * A17.3a: the day after the last day a start made by the stored operating deadline may be declared (the
 * deadline + operationStartDeclarationDays), the center's own stream — which holds every declared,
 * rejected and confirmed start — records whether the deadline passed without a start in time
 * (reporting.operating-deadline-passed); assessment decides the revocation on that fact, dated the day
 * after the deadline. The deadline is the center id.
 */
@Injectable()
export class OperatingDeadlineTimer extends StoredDeadlineTimer<string> {
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
   * Obligations opened before this timer existed get their deadline stored: the one obligations-opened
   * recorded, else decided as the stream decides it (under the policy version obligations-opened
   * recorded: storedOperatingDeadline). Deadlines the release before this one marked fired while a start
   * awaited the district office, and that recorded nothing, are claimed again
   * (rearmOperatingDeadlinesFiredEarly): a rejection inside the declaration window leaves the record to
   * this timer.
   */
  protected override async prepare(): Promise<void> {
    const log = this.distinctErrors();
    await rearmOperatingDeadlinesFiredEarly(this.pool, this.store.schema, obligationsStream(''), log);
    const opened = await openedWithoutStoredDeadline(this.pool, this.store.schema, log);
    for (const { centerId, recognizedOn, policyVersion, operatingDeadline: recorded } of opened)
      await storeOperatingDeadline(
        this.pool,
        centerId,
        recorded ?? operatingDeadline(recognizedOn, await this.policies.version(policyVersion, this.pool)),
      );
  }

  protected async claim(
    tx: PoolClient,
    now: Date,
    excluding: readonly string[],
  ): Promise<string | undefined> {
    return (await claimPassedOperatingDeadline(tx, shanghaiToday(now), excluding)) ?? undefined;
  }

  /**
   * A row written before it knew the last day to declare a start is claimed the day after the deadline:
   * that day is stored then (as the stream decides it), and the deadline waits for it (markDone leaves it).
   */
  protected async fire(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    const loaded = await this.executor.load(centerId, tx);
    if (loaded.state.status === 'none') return;
    const today = shanghaiToday(now);
    const policy = await this.policies.version(loaded.state.policyVersion, tx);
    const closeOn = storedStartDeclarationsClose(loaded.state, policy);
    await storeStartDeclarationsClose(tx, centerId, closeOn);
    if (today <= closeOn) return;
    await this.executor.run(
      centerId,
      { kind: 'pass-operating-deadline', today, policy },
      { actor: REPORTING_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
      { tx, loaded },
    );
  }

  protected markDone(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    return markOperatingDeadlineFired(tx, centerId, now, shanghaiToday(now));
  }

  protected describe(centerId: string): string {
    return `operating deadline of ${centerId}`;
  }
}
