import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { type Actor, type EventEnvelope, EventPayloadSchemas } from '@nqpf/contracts';
import { AggregateRepository as StreamRepository, Loaded, PostgresEventStore } from '@nqpf/event-store';
import { ParkedEvents } from '@nqpf/messaging';
import { Clock, MetricsRegistry, PG_POOL, registerSqlGauge } from '@nqpf/platform';
import {
  POLICY_BOOK_STREAM,
  policyBookDecider,
  PolicyBookState,
} from '../domain/policy-book/policy-book.decider';
import { SubsidyAccountCommand } from '../domain/subsidy-account/subsidy-account.commands';
import { subsidyAccountDecider } from '../domain/subsidy-account/subsidy-account.decider';
import { subsidyAccountStream } from '../domain/subsidy-account/subsidy-account.events';
import type { SubsidyAccountState } from '../domain/subsidy-account/subsidy-account.state';
import { heldRevisions } from './held-revisions';
import { operatingDeadlines } from './operating-deadlines';

/** Assessment's events read before the recognition that opens the center's account (ParkedEvents). */
export const parkedInbound = new ParkedEvents('finance_inbound', EventPayloadSchemas);

/**
 * Serialises one center's inbound events across finance's consumer groups, for the rest of the transaction:
 * a recognition taking parked events back and an assessment event parking one. Under READ COMMITTED the
 * taker's delete neither sees nor waits for an uncommitted park, and the parker's read of the account does
 * not see an uncommitted opening; without this lock an event parked in between stays parked for good.
 * Taken before the account is read (or opened), in both paths.
 */
export async function lockCenter(tx: PoolClient, centerId: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`finance.center:${centerId}`]);
}

/** Finance itself, acting on another service's event. */
export const FINANCE_SYSTEM: Actor = { id: 'finance', role: 'system' };

/**
 * Appends what a consumed event causes to the center's subsidy account, in the consumer's inbox
 * transaction (so the event id and the effect commit together), caused by and correlated with the event.
 */
@Injectable()
export class InboundAppender implements OnModuleInit {
  private readonly logger = new Logger(InboundAppender.name);

  constructor(
    private readonly store: PostgresEventStore,
    private readonly clock: Clock,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** Before any consumer starts (they start on application bootstrap). */
  async onModuleInit(): Promise<void> {
    await parkedInbound.migrate(this.pool);
    await heldRevisions.migrate(this.pool);
    await this.fillHeldDistricts();
    await operatingDeadlines.migrate(this.pool);
    registerSqlGauge(this.metrics.registry, parkedInbound.gauge(this.pool));
    heldRevisions.registerGauges(this.metrics.registry, this.pool);
  }

  /**
   * Holds kept before finance stored their district get their account's (GET /accounts/held-revisions). One
   * whose account this replica cannot load is logged and left, as catch-up leaves a row to a newer replica:
   * the list fills it when it next runs on one that can.
   */
  async fillHeldDistricts(): Promise<void> {
    await heldRevisions.fillDistricts(
      this.pool,
      async (centerId) => {
        const { state } = await new StreamRepository(this.store, subsidyAccountDecider).load(
          subsidyAccountStream(centerId),
        );
        return state.status === 'none' ? null : state.district;
      },
      (centerId, err) =>
        this.logger.error(
          `held grade correction of center ${centerId} left without a district: ${err.message}`,
        ),
    );
  }

  /** The center's account as stored (status 'none' before the recognition opens it); pass it to apply. */
  account(tx: PoolClient, centerId: string): Promise<Loaded<SubsidyAccountState>> {
    return new StreamRepository(this.store, subsidyAccountDecider).load(subsidyAccountStream(centerId), tx);
  }

  policies(tx: PoolClient): Promise<PolicyBookState> {
    return new StreamRepository(this.store, policyBookDecider)
      .load(POLICY_BOOK_STREAM, tx)
      .then((loaded) => loaded.state);
  }

  async apply(
    tx: PoolClient,
    cause: EventEnvelope,
    centerId: string,
    command: SubsidyAccountCommand,
    /** The account as already loaded in this transaction (account): decided on without a second read. */
    loaded?: Loaded<SubsidyAccountState>,
  ): Promise<void> {
    const occurredAt = this.clock.now().toISOString();
    const stamped: typeof subsidyAccountDecider = {
      ...subsidyAccountDecider,
      decide: (c, s) => subsidyAccountDecider.decide(c, s).map((e) => ({ ...e, occurredAt })),
    };
    await new StreamRepository(this.store, stamped).handle(
      subsidyAccountStream(centerId),
      command,
      { actor: FINANCE_SYSTEM, correlationId: cause.correlationId, causationId: cause.id, centerId },
      tx,
      loaded,
    );
  }
}
