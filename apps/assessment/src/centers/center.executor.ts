import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { assertCanActOrNotFound, type AccessMode } from '@nqpf/auth';
import { NotFoundError } from '@nqpf/domain';
import { AggregateRepository, CommandMeta, MetricsRegistry, PG_POOL, registerSqlGauge } from '@nqpf/platform';
import { centerDecider } from '../domain/center/center.decider';
import type { Loaded } from '@nqpf/event-store';
import { CenterCommand, CenterState } from '../domain/center/center.types';
import { centerStream } from './center.stream';
import { migrateAssessmentTables, parkedEvents } from './assessment.store';

export type ExecutionMeta = Omit<CommandMeta, 'centerId'> & { occurredAt: string };

/**
 * A center's assessment stream: decide and append (a concurrent writer → 409), in the request's, a
 * consumer's or a new transaction.
 */
@Injectable()
export class CenterExecutor implements OnModuleInit {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** The service's own tables exist before any consumer or request uses them. */
  async onModuleInit(): Promise<void> {
    await migrateAssessmentTables(this.pool);
    registerSqlGauge(this.metrics.registry, parkedEvents.gauge(this.pool));
  }

  load(centerId: string, tx?: PoolClient) {
    return this.repository.load(centerDecider, centerStream(centerId), tx);
  }

  /** A recognised center as `actor` may `mode` it: one not recognised, or outside the scope, is the same 404. */
  async loadInScope(
    centerId: string,
    actor: Actor,
    mode: AccessMode,
  ): Promise<Loaded<Exclude<CenterState, { status: 'none' }>>> {
    const { state, version } = await this.load(centerId);
    const notFound = () => new NotFoundError('recognised center', centerId);
    if (state.status === 'none') throw notFound();
    assertCanActOrNotFound(actor, { id: centerId, centerId, district: state.district }, mode, notFound);
    return { state, version };
  }

  /**
   * In `tx` when given (the request's or the consumer's transaction); `loaded`: the stream as the caller
   * loaded it (load), decided on without a second read.
   */
  run(
    centerId: string,
    command: CenterCommand,
    meta: ExecutionMeta,
    { tx, loaded }: { tx?: PoolClient; loaded?: Loaded<CenterState> } = {},
  ) {
    return this.repository.execute(
      centerDecider,
      centerStream(centerId),
      command,
      { ...meta, centerId },
      { tx, loaded },
    );
  }
}
