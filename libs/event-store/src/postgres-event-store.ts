import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope, NewEvent } from '@nqpf/contracts';
import type { AppendOptions, AppendResult } from './append-options';
import { appendAutocommit, appendInTransaction, type AppendContext } from './append-to-stream';
import type { Queryable } from './queryable';
import { readAllRows, type ReadAllOptions } from './read-all';
import { scanAllRows } from './scan-all';
import { readStreamRows, readStreamVersion, type ReadStreamOptions } from './read-stream';
import { migrate } from './schema/migrate';
import { validateSchemaName } from './schema/schema-name';
import { loadSnapshot, saveSnapshot, type Snapshot } from './snapshots';
import { Upcasters } from './upcasters';
import type { EventSealer, SealKeys } from './seal';
import type { KnownHead, VerifyReport } from './verify-chain';
import { streamHeads, verifyStore, verifyStream } from './verify-store';
import { inTransaction } from './transaction';
import { resealHeads, sealUnsealedHeads, type ResealedHeads, type SealedHeads } from './seal-heads';

export interface EventStoreOptions {
  /** PostgreSQL schema holding this store's tables; default 'event_store'. */
  schema?: string;
  /** When set, every append also writes outbox rows for this topic (see OutboxRelay). */
  outboxTopic?: string;
  upcasters?: Upcasters;
  /** Source of recorded-at times; injectable for tests. */
  clock?: () => Date;
  /** Seals the last event of every append with the service's key; unset, appends are unsealed. */
  sealer?: EventSealer;
}

/**
 * The append-only event store. Every method takes an optional `tx` (a client inside an open
 * transaction) so a command's events, outbox rows and idempotency record commit together.
 */
export class PostgresEventStore {
  readonly schema: string;
  readonly outboxTopic?: string;
  readonly upcasters: Upcasters;
  readonly sealer?: EventSealer;
  private readonly context: AppendContext;

  constructor(
    readonly pool: Pool,
    options: EventStoreOptions = {},
  ) {
    this.schema = validateSchemaName(options.schema ?? 'event_store');
    this.outboxTopic = options.outboxTopic;
    this.upcasters = options.upcasters ?? new Upcasters();
    this.sealer = options.sealer;
    this.context = {
      schema: this.schema,
      outboxTopic: options.outboxTopic,
      now: options.clock ?? (() => new Date()),
      sealer: this.sealer,
      committedVersion: (streamId) => readStreamVersion(this.pool, this.schema, streamId),
    };
  }

  migrate(): Promise<void> {
    return migrate(this.pool, this.schema);
  }

  /** Runs `work` in one transaction: commit when it resolves, rollback when it throws. */
  transaction<T>(work: (tx: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  /** Appends atomically; inside `tx` when given, so the caller's writes commit with the events and outbox rows. */
  append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
    tx?: PoolClient,
  ): Promise<AppendResult> {
    return tx
      ? appendInTransaction(tx, this.context, streamId, events, options)
      : appendAutocommit(this.pool, this.context, streamId, events, options);
  }

  /** The stream's events from `fromVersion`, upcast to their current schema versions. */
  async readStream(streamId: string, options?: ReadStreamOptions, tx?: Queryable): Promise<EventEnvelope[]> {
    const rows = await readStreamRows(tx ?? this.pool, this.schema, streamId, options);
    return rows.map((e) => this.upcasters.apply(e));
  }

  /** 0 when the stream has no events. */
  streamVersion(streamId: string, tx?: Queryable): Promise<number> {
    return readStreamVersion(tx ?? this.pool, this.schema, streamId);
  }

  /** The store's events in commit order after a checkpoint position, upcast; never skips a late commit. */
  async readAll(options?: ReadAllOptions, tx?: Queryable): Promise<EventEnvelope[]> {
    const rows = await readAllRows(tx ?? this.pool, this.schema, options);
    return rows.map((e) => this.upcasters.apply(e));
  }

  /** Every event committed when the scan starts, upcast, page by page from one snapshot (audits, exports). */
  scanAll(onPage: (events: EventEnvelope[]) => Promise<void> | void, pageSize?: number): Promise<void> {
    return scanAllRows(
      this.pool,
      this.schema,
      (page) => onPage(page.map((e) => this.upcasters.apply(e))),
      pageSize,
    );
  }

  saveSnapshot(snapshot: Snapshot, tx?: Queryable): Promise<void> {
    return saveSnapshot(tx ?? this.pool, this.schema, snapshot);
  }

  loadSnapshot<S>(
    streamId: string,
    aggregateType: string,
    stateVersion: number,
    tx?: Queryable,
  ): Promise<Snapshot<S> | undefined> {
    return loadSnapshot<S>(tx ?? this.pool, this.schema, streamId, aggregateType, stateVersion);
  }

  /** Checks one stream's hash chain over the stored (not upcast) rows; with `sealKeys`, its last seal too. */
  verifyStream(streamId: string, knownHead?: KnownHead, sealKeys?: SealKeys): Promise<VerifyReport> {
    return verifyStream(this.pool, this.schema, streamId, knownHead, sealKeys);
  }

  /**
   * Checks every stream's hash chain; `knownHeads` (from Kafka, a projection…) reveal removed tails,
   * `sealKeys` events appended by someone without a service key.
   */
  verify(knownHeads?: ReadonlyMap<string, KnownHead>, sealKeys?: SealKeys): Promise<VerifyReport> {
    return verifyStore(this.pool, this.schema, knownHeads, sealKeys);
  }

  /** Seals the heads from before the service had a key that equal `knownHeads` (sealUnsealedHeads). */
  sealUnsealedHeads(sealer: EventSealer, knownHeads: ReadonlyMap<string, KnownHead>): Promise<SealedHeads> {
    return sealUnsealedHeads(this.pool, this.schema, sealer, knownHeads);
  }

  /** Re-seals with `sealer` the heads the `retired` key sealed that equal `knownHeads` (resealHeads). */
  resealHeads(
    sealer: EventSealer,
    retired: SealKeys,
    knownHeads: ReadonlyMap<string, KnownHead>,
  ): Promise<ResealedHeads> {
    return resealHeads(this.pool, this.schema, sealer, retired, knownHeads);
  }

  /** Every stream's head (last version and hash), to be kept outside the database for `verify`. */
  heads(): Promise<Map<string, KnownHead>> {
    return streamHeads(this.pool, this.schema);
  }
}
