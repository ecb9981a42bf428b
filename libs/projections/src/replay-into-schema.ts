import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { nextOffset, replayTopics, withDdlLock } from '@nqpf/messaging';
import { applyRecords } from './apply-records';
import { createRuntimeTables, lockCheckpoint, storeCheckpoint } from './checkpoints';
import { ident, Projector } from './projector';

export interface ReplayIntoSchemaOptions {
  kafka: Kafka;
  pool: Pool;
  projector: Projector;
  schema: string;
  include?: (event: EventEnvelope) => boolean;
  endOffsets?: Record<string, Record<number, string>>;
  /** Partitions replayed in parallel (each its own transaction); default 4. */
  concurrency?: number;
}

export interface ReplaySummary {
  endOffsets: Record<string, Record<number, string>>;
  records: number;
  applied: number;
  rejected: number;
}

/** Creates `schema` fresh and replays every topic from offset zero into it, one transaction per batch. */
export async function replayIntoSchema(options: ReplayIntoSchemaOptions): Promise<ReplaySummary> {
  const { pool, projector, schema } = options;
  // One transaction, one commit flush, and a schema that exists whole or not at all.
  await withDdlLock(pool, async (tx) => {
    await tx.query(`create schema ${ident(schema)}`);
    await createRuntimeTables(tx, schema);
    await projector.createTables(tx, schema);
  });
  let applied = 0;
  let rejected = 0;
  const result = await replayTopics({
    kafka: options.kafka,
    topics: projector.topics,
    endOffsets: options.endOffsets,
    partitionsConsumedConcurrently: options.concurrency ?? 4,
    handleBatch: async (records) => {
      const first = records[0]!;
      const last = records[records.length - 1]!;
      const tx = await pool.connect();
      let broken: Error | undefined;
      try {
        await tx.query('begin');
        await lockCheckpoint(tx, schema, first.topic, first.partition);
        const outcome = await applyRecords(tx, projector, schema, records, options.include);
        await storeCheckpoint(tx, schema, {
          topic: first.topic,
          partition: first.partition,
          nextOffset: nextOffset(last.offset),
          lastRecordedAt: outcome.lastRecordedAt,
        });
        await tx.query('commit');
        applied += outcome.applied;
        rejected += outcome.rejected.length;
      } catch (err) {
        broken = err as Error;
        await tx.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        tx.release(broken);
      }
    },
  });
  return { endOffsets: result.endOffsets, records: result.records, applied, rejected };
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
