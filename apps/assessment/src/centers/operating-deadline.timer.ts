import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { uuidv7 } from '@nqpf/contracts';
import { Clock, CONFIG, PublishedPolicies, StoredDeadlineTimer, UnitOfWork } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import type { AssessmentConfig } from '../config';
import {
  claimPassedOperatingDeadline,
  declaredStartOf,
  markOperatingDeadlineFired,
} from './assessment.store';
import { CenterExecutor } from './center.executor';
import { ASSESSMENT_SYSTEM } from './center.stream';

/**
 * A17.3a: the stored deadline (recognition + 2 years, inclusive) fires the day after it; a center with no
 * recorded operation start is revoked, unless a start on or before the deadline is declared and awaits the
 * district office (then its rejection revokes). The deadline is the center id.
 */
@Injectable()
export class OperatingDeadlineTimer extends StoredDeadlineTimer<string> {
  constructor(
    @Inject(CONFIG) private readonly config: AssessmentConfig,
    private readonly executor: CenterExecutor,
    private readonly policies: PublishedPolicies,
    uow: UnitOfWork,
    clock: Clock,
  ) {
    super(uow, clock);
  }

  protected intervalMs(): number {
    return this.config.ASSESSMENT_TIMER_INTERVAL_MS;
  }

  protected async claim(tx: PoolClient, now: Date): Promise<string | undefined> {
    return (await claimPassedOperatingDeadline(tx, shanghaiToday(now))) ?? undefined;
  }

  protected async fire(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    const today = shanghaiToday(now);
    await this.executor.run(
      centerId,
      {
        kind: 'pass-operating-deadline',
        today,
        declaredStart: await declaredStartOf(tx, centerId),
        policy: await this.policies.inForceOn(today, tx),
      },
      { actor: ASSESSMENT_SYSTEM, correlationId: uuidv7(), occurredAt: now.toISOString() },
      { tx },
    );
  }

  protected markDone(tx: PoolClient, centerId: string, now: Date): Promise<void> {
    return markOperatingDeadlineFired(tx, centerId, now);
  }

  protected describe(centerId: string): string {
    return `operating deadline of ${centerId}`;
  }
}
