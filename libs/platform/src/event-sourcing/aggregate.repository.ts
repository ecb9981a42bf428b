import { Injectable } from '@nestjs/common';
import type { Actor } from '@nqpf/contracts';
import { Decider, DomainEvent } from '@nqpf/domain';
import {
  AggregateRepository as StreamRepository,
  Handled,
  Loaded,
  PostgresEventStore,
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

  load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    return new StreamRepository<S, C, E>(this.store, decider).load(streamId, this.uow.current());
  }

  execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    meta: CommandMeta,
  ): Promise<Handled<S>> {
    const { occurredAt, ...options } = meta;
    const stamped: Decider<C, E, S> = occurredAt
      ? { ...decider, decide: (c, s) => decider.decide(c, s).map((e) => ({ ...e, occurredAt })) }
      : decider;
    return this.uow.run((tx) =>
      new StreamRepository<S, C, E>(this.store, stamped).handle(streamId, command, options, tx),
    );
  }
}
