import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { AggregateRepository, CommandMeta, PG_POOL, SnapshottedDecider } from '@nqpf/platform';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import { PostgresEventStore, type Loaded } from '@nqpf/event-store';
import {
  ObligationsCommand,
  ObligationsEvent,
  ObligationsState,
} from '../domain/obligations/obligations.types';
import { obligationsStream } from './obligations.stream';
import { migrateOperatingDeadlines, recordOperatingDeadlines } from './operating-deadlines.store';
import { migrateReportDeadlines, recordReportDeadlines } from './report-deadlines.store';

/**
 * A center's obligations stream grows by every activity (~100 a year, ~500 events in five years), so it
 * loads from a snapshot taken every 100 events plus the tail. Bump stateVersion when evolve changes
 * (2: the state no longer lists every activity id; 3: it keeps each activity's day-and-title key, and
 * merges a major change's facts group by group; 4: it keeps the policy version and the operating deadline
 * recorded at recognition, whether the deadline passed, and a revocation read before the recognition;
 * 9: the district office's last refusal of a declared start; 10: the last day to declare a start made by
 * the operating deadline).
 */
const obligations: SnapshottedDecider<ObligationsCommand, ObligationsEvent, ObligationsState> = {
  ...obligationsDecider,
  snapshots: { aggregateType: 'reporting-obligations', stateVersion: 10, every: 100 },
};

export type ExecutionMeta = Omit<CommandMeta, 'centerId'> & { occurredAt: string };

/**
 * A center's obligations stream: decide and append (a concurrent writer → 409), storing the report and
 * operating deadlines the new events schedule in the same transaction — the request's, a consumer's or a new one.
 */
@Injectable()
export class ObligationsExecutor implements OnModuleInit {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly store: PostgresEventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** The service's own tables exist before any consumer, timer or request uses them. */
  async onModuleInit(): Promise<void> {
    await migrateReportDeadlines(this.pool);
    await migrateOperatingDeadlines(this.pool);
  }

  load(centerId: string, tx?: PoolClient) {
    return this.repository.load(obligations, obligationsStream(centerId), tx);
  }

  /**
   * The stream's events of `types` up to `version` (the one a load read, so a read agrees with that state),
   * upcast: a read of a few kinds does not load a stream of years of activities.
   */
  events(centerId: string, version: number, types: readonly string[]) {
    return this.store.readStream(obligationsStream(centerId), { toVersion: version, types });
  }

  /**
   * In `tx` when given (the request's or the consumer's transaction); `loaded`: the stream as the caller
   * loaded it (load), decided on without a second read.
   */
  run(
    centerId: string,
    command: ObligationsCommand,
    meta: ExecutionMeta,
    { tx, loaded }: { tx?: PoolClient; loaded?: Loaded<ObligationsState> } = {},
  ) {
    return this.repository.execute(
      obligations,
      obligationsStream(centerId),
      command,
      { ...meta, centerId },
      {
        tx,
        loaded,
        afterAppend: async (t, handled) => {
          await recordReportDeadlines(t, handled.events);
          await recordOperatingDeadlines(t, handled.events);
        },
      },
    );
  }
}
