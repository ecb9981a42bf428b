import type { PoolClient } from 'pg';
import { EventEnvelope, EventPayloadSchemas, serviceTopic } from '@nqpf/contracts';
import type { DocumentReducer, Projector } from '@nqpf/projections';
import { centerOfEvent } from '../standing/center-of-event';
import { affectsLedger, reduceLedger } from './ledger.reducer';
import { emptyLedger, LedgerState } from './ledger.state';
import { createLedgerTables, LEDGER_SCHEMA, loadLedgers, saveLedgers } from './ledger.table';

/** The pure ledger reducer keyed by center: the same fold for the live model, rebuild and as-of. */
export const ledgerReducer: DocumentReducer<LedgerState> = {
  keyOf: (event) => (affectsLedger(event.type) ? centerOfEvent(event) : null),
  initial: emptyLedger,
  evolve: reduceLedger,
};

export async function applyLedgerEvents(
  tx: PoolClient,
  schema: string,
  events: EventEnvelope[],
): Promise<void> {
  const keyed = events.flatMap((event) => {
    const key = ledgerReducer.keyOf(event);
    return key === null ? [] : [{ key, event }];
  });
  if (keyed.length === 0) return;
  const ledgers = await loadLedgers(tx, schema, [...new Set(keyed.map((k) => k.key))]);
  const touched = new Set<string>();
  for (const { key, event } of keyed) {
    ledgers.set(key, ledgerReducer.evolve(ledgers.get(key) ?? ledgerReducer.initial(key), event));
    touched.add(key);
  }
  await saveLedgers(
    tx,
    schema,
    [...touched].sort().map((k) => ledgers.get(k)!),
  );
}

/** read side `ledger`: finance's topic into <schema>.ledger_centers and <schema>.ledger_years. */
export function ledgerProjector(topicPrefix: string): Projector {
  return {
    name: LEDGER_SCHEMA,
    topics: [serviceTopic('finance', topicPrefix)],
    tables: [
      { name: 'ledger_centers', primaryKey: ['center_id'] },
      { name: 'ledger_years', primaryKey: ['center_id', 'support_year'] },
    ],
    validate: EventPayloadSchemas,
    createTables: (db, schema) => createLedgerTables(db, schema),
    apply: applyLedgerEvents,
  };
}
