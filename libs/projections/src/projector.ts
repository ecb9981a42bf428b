import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';

/** Anything that runs SQL: a pool or a client inside a transaction. */
export interface Queryable {
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
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
