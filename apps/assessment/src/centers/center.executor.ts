import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { AggregateRepository as StreamRepository, Handled, PostgresEventStore } from '@nqpf/event-store';
import { PG_POOL, UnitOfWork } from '@nqpf/platform';
import { centerDecider } from '../domain/center/center.decider';
import { CenterCommand, CenterEvent, CenterState } from '../domain/center/center.types';
import { centerStream } from './center.stream';
import { migrateAssessmentTables, recordOperatingDeadlines } from './assessment.store';

export interface ExecutionMeta {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  occurredAt: string;
}

/**
 * Decides and appends with the loaded version as the expected one (a concurrent writer → 409), and stores
 * the deadlines the new events schedule, in one transaction: the request's (idempotency), a consumer's
 * (inbox) or a new one.
 */
@Injectable()
export class CenterExecutor implements OnModuleInit {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly uow: UnitOfWork,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** The service's own tables exist before any consumer, timer or request uses them. */
  async onModuleInit(): Promise<void> {
    await migrateAssessmentTables(this.pool);
  }

  private repository() {
    return new StreamRepository<CenterState, CenterCommand, CenterEvent>(this.store, centerDecider);
  }

  load(centerId: string, tx?: PoolClient) {
    return this.repository().load(centerStream(centerId), tx ?? this.uow.current());
  }

  run(centerId: string, command: CenterCommand, meta: ExecutionMeta, tx?: PoolClient) {
    return tx
      ? this.runIn(tx, centerId, command, meta)
      : this.uow.run((t) => this.runIn(t, centerId, command, meta));
  }

  private async runIn(
    tx: PoolClient,
    centerId: string,
    command: CenterCommand,
    meta: ExecutionMeta,
  ): Promise<Handled<CenterState>> {
    const stamped = {
      ...centerDecider,
      decide: (c: CenterCommand, s: CenterState) =>
        centerDecider.decide(c, s).map((e) => ({ ...e, occurredAt: meta.occurredAt })),
    };
    const handled = await new StreamRepository<CenterState, CenterCommand, CenterEvent>(
      this.store,
      stamped,
    ).handle(
      centerStream(centerId),
      command,
      {
        actor: meta.actor,
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? null,
        centerId,
      },
      tx,
    );
    await recordOperatingDeadlines(tx, handled.events);
    return handled;
  }
}
