import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Actor } from '@nqpf/contracts';
import { Decider, DomainEvent } from '@nqpf/domain';
import {
  AggregateRepository as StreamRepository,
  Handled,
  Loaded,
  PostgresEventStore,
  SnapshotPolicy,
} from '@nqpf/event-store';
import { UnitOfWork } from '../unit-of-work';

export interface CommandMeta {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  centerId?: string | null;
  /** When the command happened (the injectable clock's now); recorded as the events' occurredAt. */
  occurredAt?: string;
}

export interface ExecuteOptions<S> {
  tx?: PoolClient;
  /** The stream as already loaded in this unit of work (see load): decided on without a second read. */
  loaded?: Loaded<S>;
  afterAppend?: (tx: PoolClient, handled: Handled<S>) => Promise<void>;
}

/**
 * A decider whose long streams load from a snapshot plus the tail. Bump `snapshots.stateVersion` whenever
 * evolve or the state's shape changes: older snapshots are then ignored and rebuilt from the events.
 */
export type SnapshottedDecider<C, E extends DomainEvent, S> = Decider<C, E, S> & {
  snapshots?: SnapshotPolicy;
};

/**
 * The services' entry to event-sourced aggregates: load, decide and append with the loaded version as
 * the expected one (a concurrent writer gets ConcurrencyConflictError → 409), inside the request's unit of
 * work when there is one, so idempotency records commit with the events.
 */
@Injectable()
export class AggregateRepository {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly uow: UnitOfWork,
  ) {}

  load<C, E extends DomainEvent, S>(
    decider: SnapshottedDecider<C, E, S>,
    streamId: string,
    tx?: PoolClient,
  ): Promise<Loaded<S>> {
    return new StreamRepository<S, C, E>(this.store, decider, decider.snapshots).load(
      streamId,
      tx ?? this.uow.current(),
    );
  }

  /**
   * `tx`: a transaction the caller already holds (a consumer's inbox transaction); otherwise the request's
   * unit of work or a new transaction. `afterAppend` writes what the new events imply (stored deadlines,
   * list rows) in that same transaction.
   */
  execute<C, E extends DomainEvent, S>(
    decider: SnapshottedDecider<C, E, S>,
    streamId: string,
    command: C,
    meta: CommandMeta,
    options: ExecuteOptions<S> = {},
  ): Promise<Handled<S>> {
    const { occurredAt, ...appendOptions } = meta;
    const stamped: Decider<C, E, S> = occurredAt
      ? { ...decider, decide: (c, s) => decider.decide(c, s).map((e) => ({ ...e, occurredAt })) }
      : decider;
    const run = async (tx: PoolClient) => {
      const handled = await new StreamRepository<S, C, E>(this.store, stamped, decider.snapshots).handle(
        streamId,
        command,
        appendOptions,
        tx,
        options.loaded,
      );
      await options.afterAppend?.(tx, handled);
      return handled;
    };
    return options.tx ? run(options.tx) : this.uow.run(run);
  }
}
