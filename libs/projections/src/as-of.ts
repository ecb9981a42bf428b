import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { replayTopics } from '@nqpf/messaging';
import { InMemoryFold } from './in-memory-fold';
import { assertProjectionName, DocumentReducer, ident, Projector } from './projector';
import { nextSchemaName, replayIntoSchema, ReplaySummary } from './replay-into-schema';

/**
 * Where an as-of replay stops: events recorded (or occurred) at or before an instant, and/or Kafka
 * positions (exclusive end offset per topic and partition).
 */
export interface AsOf {
  recordedAt?: Date;
  occurredAt?: Date;
  endOffsets?: Record<string, Record<number, string>>;
}

export function asOfFilter(asOf: AsOf): (event: EventEnvelope) => boolean {
  const recorded = asOf.recordedAt?.getTime();
  const occurred = asOf.occurredAt?.getTime();
  if (recorded !== undefined && Number.isNaN(recorded))
    throw new Error('asOf.recordedAt: must be a valid date');
  if (occurred !== undefined && Number.isNaN(occurred))
    throw new Error('asOf.occurredAt: must be a valid date');
  return (event) =>
    (recorded === undefined || Date.parse(event.recordedAt) <= recorded) &&
    (occurred === undefined || Date.parse(event.occurredAt) <= occurred);
}

export interface AsOfModel extends ReplaySummary {
  schema: string;
  drop(): Promise<void>;
}

/** Replays into a scratch schema `<name>_asof_<n>`, never touching live tables; drop() when done. */
export async function projectAsOf(options: {
  kafka: Kafka;
  pool: Pool;
  projector: Projector;
  asOf: AsOf;
  replayGroupPrefix: string;
}): Promise<AsOfModel> {
  const { pool, projector, asOf } = options;
  assertProjectionName(projector.name);
  const include = asOfFilter(asOf);
  // Two as-of replays at once (two callers, two replicas) may pick the same next name: the one whose
  // `create schema` loses takes the next, and never drops the schema the other created.
  for (let tries = 1; ; tries++) {
    const schema = await nextSchemaName(pool, projector.name, 'asof');
    const drop = async () => {
      await pool.query(`drop schema if exists ${ident(schema)} cascade`);
    };
    try {
      const summary = await replayIntoSchema({ ...options, schema, include, endOffsets: asOf.endOffsets });
      return { ...summary, schema, drop };
    } catch (err) {
      if ((err as { code?: string }).code === DUPLICATE_SCHEMA && tries < 10) continue;
      if ((err as { code?: string }).code !== DUPLICATE_SCHEMA) await drop();
      throw err;
    }
  }
}

/** PostgreSQL's duplicate_schema: `create schema` found the name taken, so nothing of this call exists. */
const DUPLICATE_SCHEMA = '42P06';

/** The same as-of replay folded in memory with a pure reducer: no database at all. */
export async function foldAsOf<S>(options: {
  kafka: Kafka;
  topics: string[];
  reducer: DocumentReducer<S>;
  asOf: AsOf;
  replayGroupPrefix: string;
  validate?: Projector['validate'];
}): Promise<Map<string, S>> {
  const fold = new InMemoryFold(options.reducer, options.validate, asOfFilter(options.asOf));
  await replayTopics({
    kafka: options.kafka,
    topics: options.topics,
    groupPrefix: options.replayGroupPrefix,
    endOffsets: options.asOf.endOffsets,
    handleBatch: async (records) => fold.add(records),
  });
  return fold.documents;
}
