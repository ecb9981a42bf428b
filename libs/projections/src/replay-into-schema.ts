import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { replayTopics, withDdlLock } from '@nqpf/messaging';
import { createRuntimeTables } from './checkpoints';
import { InMemoryFold } from './in-memory-fold';
import { DocumentModel, ident, Projector } from './projector';

export interface ReplayIntoSchemaOptions {
  kafka: Kafka;
  pool: Pool;
  projector: Projector;
  schema: string;
  /** Start of the replay's throwaway consumer group id, inside the caller's group namespace. */
  replayGroupPrefix: string;
  include?: (event: EventEnvelope) => boolean;
  endOffsets?: Record<string, Record<number, string>>;
  /** Partitions fetched in parallel, and writers of the folded documents; default 4. */
  concurrency?: number;
}

export interface ReplaySummary {
  endOffsets: Record<string, Record<number, string>>;
  records: number;
  applied: number;
  rejected: number;
}

/**
 * Creates `schema` fresh and replays every topic from offset zero into it: every event folded in memory
 * (the live runner's parse, contract and duplicate checks, and reducer), then each document, the stream
 * versions and the checkpoints written once into the empty schema — a center touched by thousands of
 * events costs one row write, not one per batch. Memory grows with documents and streams, not events.
 */
export async function replayIntoSchema(options: ReplayIntoSchemaOptions): Promise<ReplaySummary> {
  const { pool, projector, schema } = options;
  // One transaction, one commit flush, and a schema that exists whole or not at all.
  await withDdlLock(pool, async (tx) => {
    await tx.query(`create schema ${ident(schema)}`);
    await createRuntimeTables(tx, schema);
    await projector.createTables(tx, schema);
  });
  return foldIntoSchema(options, projector.documents);
}

async function foldIntoSchema<S>(
  options: ReplayIntoSchemaOptions,
  model: DocumentModel<S>,
): Promise<ReplaySummary> {
  const { pool, schema } = options;
  const fold = new InMemoryFold(model.reducer, options.projector.validate, options.include);
  const result = await replayTopics({
    kafka: options.kafka,
    topics: options.projector.topics,
    groupPrefix: options.replayGroupPrefix,
    endOffsets: options.endOffsets,
    partitionsConsumedConcurrently: options.concurrency ?? 4,
    handleBatch: async (records) => fold.add(records),
  });
  const writers = Math.max(1, options.concurrency ?? 4);
  await inChunks([...fold.documents.values()], 1000, writers, (chunk) => model.save(pool, schema, chunk));
  await inChunks([...fold.streamVersions], 10_000, writers, (chunk) =>
    pool.query(
      `insert into ${ident(schema)}._stream_versions (stream_id, version)
       select * from unnest($1::text[], $2::int[])`,
      [chunk.map(([id]) => id), chunk.map(([, version]) => version)],
    ),
  );
  const positions = [...fold.positions.values()];
  await pool.query(
    `insert into ${ident(schema)}._checkpoints (topic, partition, next_offset, last_recorded_at)
     select * from unnest($1::text[], $2::int[], $3::bigint[], $4::timestamptz[])`,
    [
      positions.map((p) => p.topic),
      positions.map((p) => p.partition),
      positions.map((p) => p.nextOffset),
      positions.map((p) => p.lastRecordedAt),
    ],
  );
  return {
    endOffsets: result.endOffsets,
    records: result.records,
    applied: fold.applied,
    rejected: fold.rejected,
  };
}

/** Runs `write` over slices of `items`, at most `parallel` at a time. */
async function inChunks<T>(
  items: T[],
  size: number,
  parallel: number,
  write: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const chunk = items.slice(next, next + size);
      next += size;
      await write(chunk);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The next free `<name>_<kind>_<n>` schema name. */
export async function nextSchemaName(
  pool: Pool,
  name: string,
  kind: 'rebuild' | 'asof' | 'retired',
): Promise<string> {
  const prefix = `${name}_${kind}_`;
  const { rows } = await pool.query(
    `select coalesce(max(substring(nspname from length($1) + 1)::int), 0) + 1 as n
       from pg_namespace where starts_with(nspname, $1) and substring(nspname from length($1) + 1) ~ '^[0-9]+$'`,
    [prefix],
  );
  return `${prefix}${rows[0].n as number}`;
}
