import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';
import { assertProjectionName, ident, Projector, Queryable } from './projector';

/** A pure reducer keyed by something in the event (a center id, a center-and-year…). */
export interface DocumentReducer<S> {
  /** The document an event belongs to; null to ignore the event. */
  keyOf(event: EventEnvelope): string | null;
  initial(key: string): S;
  evolve(state: S, event: EventEnvelope): S;
}

export interface DocumentProjectorOptions<S> extends DocumentReducer<S> {
  name: string;
  topics: string[];
  table: string;
  validate?: Record<string, EventValidator>;
}

/** Folds events into documents in memory: the same reducer the writer uses, for as-of without a database. */
export function foldDocuments<S>(
  reducer: DocumentReducer<S>,
  events: Iterable<EventEnvelope>,
): Map<string, S> {
  const documents = new Map<string, S>();
  for (const event of events) {
    const key = reducer.keyOf(event);
    if (key === null) continue;
    documents.set(key, reducer.evolve(documents.get(key) ?? reducer.initial(key), event));
  }
  return documents;
}

/**
 * A projector whose model is one JSON document per key, written by a pure reducer: each batch loads the
 * touched documents, folds the events in memory and upserts them in one statement.
 */
export function documentProjector<S>(options: DocumentProjectorOptions<S>): Projector {
  assertProjectionName(options.name);
  const table = options.table;
  ident(table);
  return {
    name: options.name,
    topics: options.topics,
    tables: [{ name: table, primaryKey: ['id'] }],
    validate: options.validate,
    async createTables(db: Queryable, schema: string) {
      await db.query(
        `create table if not exists ${ident(schema)}.${ident(table)} (id text primary key, state jsonb not null)`,
      );
    },
    async apply(tx: PoolClient, schema: string, events: EventEnvelope[]) {
      const target = `${ident(schema)}.${ident(table)}`;
      const keys = [...new Set(events.map((e) => options.keyOf(e)).filter((k): k is string => k !== null))];
      if (keys.length === 0) return;
      const { rows } = await tx.query(`select id, state from ${target} where id = any($1)`, [keys]);
      const documents = new Map<string, S>(rows.map((r) => [r.id as string, r.state as S]));
      for (const event of events) {
        const key = options.keyOf(event);
        if (key === null) continue;
        documents.set(key, options.evolve(documents.get(key) ?? options.initial(key), event));
      }
      await tx.query(
        `insert into ${target} (id, state) select * from unnest($1::text[], $2::jsonb[])
         on conflict (id) do update set state = excluded.state`,
        [keys, keys.map((k) => JSON.stringify(documents.get(k)))],
      );
    },
  };
}
