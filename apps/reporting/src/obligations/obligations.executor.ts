import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { AggregateRepository as StreamRepository, Handled, PostgresEventStore } from '@nqpf/event-store';
import { PG_POOL, UnitOfWork } from '@nqpf/platform';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import {
  ObligationsCommand,
  ObligationsEvent,
  ObligationsState,
} from '../domain/obligations/obligations.types';
import { obligationsStream } from './obligations.stream';
import { migrateReportDeadlines, recordReportDeadlines } from './report-deadlines.store';

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
export class ObligationsExecutor implements OnModuleInit {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly uow: UnitOfWork,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** The service's own tables exist before any consumer, timer or request uses them. */
  async onModuleInit(): Promise<void> {
    await migrateReportDeadlines(this.pool);
  }

  private repository() {
    return new StreamRepository<ObligationsState, ObligationsCommand, ObligationsEvent>(
      this.store,
      obligationsDecider,
    );
  }

  load(centerId: string, tx?: PoolClient) {
    return this.repository().load(obligationsStream(centerId), tx ?? this.uow.current());
  }

  run(centerId: string, command: ObligationsCommand, meta: ExecutionMeta, tx?: PoolClient) {
    return tx
      ? this.runIn(tx, centerId, command, meta)
      : this.uow.run((t) => this.runIn(t, centerId, command, meta));
  }

  private async runIn(
    tx: PoolClient,
    centerId: string,
    command: ObligationsCommand,
    meta: ExecutionMeta,
  ): Promise<Handled<ObligationsState>> {
    const stamped = {
      ...obligationsDecider,
      decide: (c: ObligationsCommand, s: ObligationsState) =>
        obligationsDecider.decide(c, s).map((e) => ({ ...e, occurredAt: meta.occurredAt })),
    };
    const handled = await new StreamRepository<ObligationsState, ObligationsCommand, ObligationsEvent>(
      this.store,
      stamped,
    ).handle(
      obligationsStream(centerId),
      command,
      {
        actor: meta.actor,
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? null,
        centerId,
      },
      tx,
    );
    await recordReportDeadlines(tx, handled.events);
    return handled;
  }
}
