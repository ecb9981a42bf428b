import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';
import type { Queryable } from '@nqpf/event-store';

/** Anything that runs SQL: a pool or a client inside a transaction (the event store's type). */
export type { Queryable };

/** A pure reducer keyed by something in the event (a center id, a center-and-year…). */
export interface DocumentReducer<S> {
  /** Whether events of this type can change a document; the others are passed over unparsed. */
  handles(type: string): boolean;
  /** The document an event belongs to; null to ignore the event. */
  keyOf(event: EventEnvelope): string | null;
  initial(key: string): S;
  /** The document after one event; fields derived from the others may be left for `settle`. */
  evolve(state: S, event: EventEnvelope): S;
  /**
   * Recomputes the fields derived from the others. Run once per document after a fold rather than after
   * every event: a rebuild spent a fifth of its time deriving states that the next event replaced.
   */
  settle?(state: S): S;
}

/**
 * A read model that is one document per key, folded by a pure reducer. The live runner loads the touched
 * documents, folds a batch and saves them; a rebuild folds every event in memory and saves each document
 * once, into an empty schema.
 */
export interface DocumentModel<S> {
  reducer: DocumentReducer<S>;
  /** The stored documents of these keys, locked for the rest of the transaction. */
  load(tx: PoolClient, schema: string, keys: string[]): Promise<Map<string, S>>;
  /** Inserts or replaces these documents (each carries its own key). */
  save(db: Queryable, schema: string, documents: S[]): Promise<void>;
}

export interface ReadModelTable {
  name: string;
  /** Columns that order the rows for the checksum. */
  primaryKey: string[];
}

/**
 * A projector: pure reducers behind a writer. The runtime owns the schema it writes into (live, rebuild
 * or as-of), the transaction, checkpoints and duplicate suppression; the projector only says how tables
 * look and how a batch of events changes them.
 */
export interface Projector {
  /** Lower-case identifier; also the live schema's name. */
  name: string;
  topics: string[];
  tables: ReadModelTable[];
  /** Creates the read-model tables in `schema`; must be idempotent (create … if not exists). */
  createTables(db: Queryable, schema: string): Promise<void>;
  /** Applies events, in order, inside the transaction that also advances the checkpoint. */
  apply(tx: PoolClient, schema: string, events: EventEnvelope[]): Promise<void>;
  /** Contracts per event type; invalid events go to the dead-letter topic instead of the model. */
  validate?: Record<string, EventValidator>;
  /** The model as documents folded by a reducer: what rebuilds and as-of fold in memory. */
  documents: DocumentModel<unknown>;
}

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

export function assertProjectionName(name: string): void {
  if (!NAME.test(name)) throw new Error(`projection name: must match ${NAME.source}, got "${name}"`);
}

/** Quotes an identifier we built ourselves (validated names only). */
export function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`identifier: not a safe name: "${name}"`);
  return `"${name}"`;
}
