import type { PoolClient } from 'pg';
import { EventEnvelope, EventPayloadSchemas, SERVICES, serviceTopic } from '@nqpf/contracts';
import type { DocumentReducer, Projector } from '@nqpf/projections';
import { centerOfEvent } from './center-of-event';
import { affectsStanding, reduceStanding } from './standing.reducer';
import { emptyStanding, StandingRow } from './standing.row';
import { createStandingTable, loadStanding, saveStanding, STANDING_SCHEMA } from './standing.table';

/** The pure standing reducer keyed by center: the same fold for the live model, rebuild and as-of. */
export const standingReducer: DocumentReducer<StandingRow> = {
  keyOf: (event) => (affectsStanding(event.type) ? centerOfEvent(event) : null),
  initial: emptyStanding,
  evolve: reduceStanding,
};

/** Folds a batch into the touched rows in memory and writes them back in one statement. */
export async function applyStandingEvents(
  tx: PoolClient,
  schema: string,
  events: EventEnvelope[],
): Promise<void> {
  const keyed = events.flatMap((event) => {
    const key = standingReducer.keyOf(event);
    return key === null ? [] : [{ key, event }];
  });
  if (keyed.length === 0) return;
  const rows = await loadStanding(tx, schema, [...new Set(keyed.map((k) => k.key))]);
  const touched = new Set<string>();
  for (const { key, event } of keyed) {
    rows.set(key, standingReducer.evolve(rows.get(key) ?? standingReducer.initial(key), event));
    touched.add(key);
  }
  await saveStanding(
    tx,
    schema,
    [...touched].sort().map((k) => rows.get(k)!),
  );
}

/** read side `standing`: every service's topic into <schema>.standing (libs/projections runs it). */
export function standingProjector(topicPrefix: string): Projector {
  return {
    name: STANDING_SCHEMA,
    topics: SERVICES.map((s) => serviceTopic(s, topicPrefix)),
    tables: [{ name: 'standing', primaryKey: ['center_id'] }],
    validate: EventPayloadSchemas,
    createTables: (db, schema) => createStandingTable(db, schema),
    apply: applyStandingEvents,
  };
}
