import type { EventEnvelope } from '@nqpf/contracts';
import { uuidv7 } from '@nqpf/contracts';
import type { EventValidator } from '@nqpf/messaging';
import { documentProjector } from './document-projector';
import { ident, type DocumentReducer, type Projector, type Queryable } from './projector';

export interface Tally {
  centerId: string;
  events: number;
  totalFen: number;
}

/** A small read model for tests and the benchmark: per center, how many events and how much money. */
export const tallyReducer: DocumentReducer<Tally> = {
  handles: () => true,
  keyOf: (event) => event.centerId,
  initial: (centerId) => ({ centerId, events: 0, totalFen: 0 }),
  evolve: (state, event) => ({
    ...state,
    events: state.events + 1,
    totalFen: state.totalFen + ((event.payload as { amountFen?: number }).amountFen ?? 0),
  }),
};

export function tallyProjector(name: string, topics: string[]) {
  return jsonDocumentProjector({ name, topics, table: 'tally', ...tallyReducer });
}

export function tallyEvent(
  centerId: string,
  streamVersion: number,
  amountFen: number,
  at = new Date(),
): EventEnvelope {
  return {
    id: uuidv7(),
    type: 'Tallied',
    schemaVersion: 1,
    streamId: centerId,
    streamVersion,
    position: String(streamVersion),
    occurredAt: at.toISOString(),
    recordedAt: at.toISOString(),
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId,
    payload: { amountFen },
    previousHash: null,
    hash: 'test',
  };
}

/** `count` events spread over `centers` centers, each center's stream numbered from 1. */
export function tallyEvents(count: number, centers: number, at = new Date()): EventEnvelope[] {
  return Array.from({ length: count }, (_, i) =>
    tallyEvent(`center-${i % centers}`, Math.floor(i / centers) + 1, (i % 7) * 100, at),
  );
}

/** The tally as the simplest document model: `<schema>.<table>` (id text primary key, state jsonb). */
function jsonDocumentProjector(
  options: DocumentReducer<Tally> & {
    name: string;
    topics: string[];
    table: string;
    validate?: Record<string, EventValidator>;
  },
): Projector {
  ident(options.table);
  const target = (schema: string) => `${ident(schema)}.${ident(options.table)}`;
  const { handles, keyOf, initial, evolve } = options;
  const upsert = (db: Queryable, schema: string, documents: Tally[], onConflict: string) =>
    db.query(
      `insert into ${target(schema)} (id, state) select * from unnest($1::text[], $2::jsonb[])
       on conflict (id) ${onConflict}`,
      [documents.map((d) => d.centerId), documents.map((d) => JSON.stringify(d))],
    );
  return documentProjector<Tally>({
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
        // Missing documents inserted, existing ones locked (no-op update), in key order: batches queue on a row.
        const { rows } = await upsert(
          tx,
          schema,
          keys.map(initial),
          'do update set id = excluded.id returning id, state',
        );
        return new Map<string, Tally>(rows.map((r) => [r.id as string, r.state as Tally]));
      },
      save: (db, schema, documents) =>
        upsert(db, schema, documents, 'do update set state = excluded.state').then(() => undefined),
    },
  });
}
