import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { Clock, CONFIG, PG_POOL, PublishedPolicies, StoredDeadlineTimer, UnitOfWork } from '@nqpf/platform';
import { operatingDeadline, shanghaiToday } from '@nqpf/rules';
import type { ReportingConfig } from '../config';
import { ObligationsExecutor } from './obligations.executor';
import { REPORTING_SYSTEM } from './obligations.stream';
import {
  claimPassedOperatingDeadline,
  markOperatingDeadlineFired,
  openedWithoutStoredDeadline,
  storeOperatingDeadline,
} from './operating-deadlines.store';

/**
 * A17.3a: the day after the stored operating deadline, the center's own stream — which holds every
 * declared, rejected and confirmed start — records whether the deadline passed without a start in time
 * (reporting.operating-deadline-passed); assessment decides the revocation on that fact. The deadline is
 * the center id.
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
   * recorded: storedOperatingDeadline).
   */
  protected override async prepare(): Promise<void> {
    const opened = await openedWithoutStoredDeadline(this.pool, this.store.schema);
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

  protected async fire(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    const loaded = await this.executor.load(centerId, tx);
    if (loaded.state.status === 'none') return;
    await this.executor.run(
      centerId,
      {
        kind: 'pass-operating-deadline',
        today: shanghaiToday(now),
        policy: await this.policies.version(loaded.state.policyVersion, tx),
      },
      { actor: REPORTING_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
      { tx, loaded },
    );
  }

  protected markDone(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    return markOperatingDeadlineFired(tx, centerId, now);
  }

  protected describe(centerId: string): string {
    return `operating deadline of ${centerId}`;
  }
}
