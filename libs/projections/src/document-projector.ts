import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';
import {
  assertProjectionName,
  DocumentModel,
  DocumentReducer,
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
  const touched = new Set<string>();
  evolveDocuments(reducer, events, documents, touched);
  settleDocuments(reducer, documents, touched);
  return documents;
}

/** The reducer's `evolve` over events, adding the keys it changed to `touched`; nothing settled yet. */
export function evolveDocuments<S>(
  reducer: DocumentReducer<S>,
  events: Iterable<EventEnvelope>,
  documents: Map<string, S>,
  touched: Set<string>,
): void {
  for (const event of events) {
    const key = reducer.keyOf(event);
    if (key === null) continue;
    documents.set(key, reducer.evolve(documents.get(key) ?? reducer.initial(key), event));
    touched.add(key);
  }
}

/** Settles the documents of these keys (see DocumentReducer.settle) and empties `keys`. */
export function settleDocuments<S>(
  reducer: DocumentReducer<S>,
  documents: Map<string, S>,
  keys: Set<string>,
): void {
  const settle = reducer.settle;
  if (settle) for (const key of keys) documents.set(key, settle(documents.get(key)!));
  keys.clear();
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
      const sorted = [...keys].sort();
      const documents = await model.load(tx, schema, sorted);
      foldDocuments(model.reducer, events, documents);
      await model.save(
        tx,
        schema,
        sorted.map((k) => documents.get(k)!),
      );
    },
  };
}
