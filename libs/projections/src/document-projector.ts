import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';
import {
  assertProjectionName,
  DocumentModel,
  DocumentReducer,
  ident,
  Projector,
  Queryable,
  ReadModelTable,
} from './projector';

/** Folds events into documents: the same reducer the writer uses, for rebuilds and as-of in memory. */
export function foldDocuments<S>(
  reducer: DocumentReducer<S>,
  events: Iterable<EventEnvelope>,
  documents = new Map<string, S>(),
): Map<string, S> {
  for (const event of events) {
    const key = reducer.keyOf(event);
    if (key === null) continue;
    documents.set(key, reducer.evolve(documents.get(key) ?? reducer.initial(key), event));
  }
  return documents;
}

export interface DocumentProjectorOptions<S> {
  name: string;
  topics: string[];
  tables: ReadModelTable[];
  validate?: Record<string, EventValidator>;
  createTables(db: Queryable, schema: string): Promise<void>;
  model: DocumentModel<S>;
}

/** A projector over a document model: each batch loads the touched documents, folds, saves them. */
export function documentProjector<S>(options: DocumentProjectorOptions<S>): Projector {
  assertProjectionName(options.name);
  const { model } = options;
  return {
    name: options.name,
    topics: options.topics,
    tables: options.tables,
    validate: options.validate,
    createTables: options.createTables,
    documents: model as DocumentModel<unknown>,
    async apply(tx: PoolClient, schema: string, events: EventEnvelope[]) {
      const keys = new Set<string>();
      for (const event of events) {
        const key = model.reducer.keyOf(event);
        if (key !== null) keys.add(key);
      }
      if (keys.size === 0) return;
      const documents = await model.load(tx, schema, [...keys].sort());
      foldDocuments(model.reducer, events, documents);
      await model.save(
        tx,
        schema,
        [...keys].sort().map((k) => [k, documents.get(k)!]),
      );
    },
  };
}

/** The simplest document model: `<schema>.<table>` (id text primary key, state jsonb). */
export function jsonDocumentProjector<S>(
  options: DocumentReducer<S> & {
    name: string;
    topics: string[];
    table: string;
    validate?: Record<string, EventValidator>;
  },
): Projector {
  ident(options.table);
  const target = (schema: string) => `${ident(schema)}.${ident(options.table)}`;
  const { handles, keyOf, initial, evolve } = options;
  const upsert = (db: Queryable, schema: string, documents: [string, S][], onConflict: string) =>
    db.query(
      `insert into ${target(schema)} (id, state) select * from unnest($1::text[], $2::jsonb[])
       on conflict (id) ${onConflict}`,
      [documents.map(([k]) => k), documents.map(([, d]) => JSON.stringify(d))],
    );
  return documentProjector<S>({
    name: options.name,
    topics: options.topics,
    tables: [{ name: options.table, primaryKey: ['id'] }],
    validate: options.validate,
    async createTables(db, schema) {
      await db.query(
        `create table if not exists ${target(schema)} (id text primary key, state jsonb not null)`,
      );
    },
    model: {
      reducer: { handles, keyOf, initial, evolve },
      async load(tx, schema, keys) {
        // Missing documents are inserted first so that concurrent batches on a new key queue on its row.
        await upsert(
          tx,
          schema,
          keys.map((k) => [k, initial(k)]),
          'do nothing',
        );
        const { rows } = await tx.query(
          `select id, state from ${target(schema)} where id = any($1) order by id for update`,
          [keys],
        );
        return new Map<string, S>(rows.map((r) => [r.id as string, r.state as S]));
      },
      save: (db, schema, documents) =>
        upsert(db, schema, documents, 'do update set state = excluded.state').then(() => undefined),
    },
  });
}
