import { EventPayloadSchemas, serviceTopic } from '@nqpf/contracts';
import { documentProjector, DocumentReducer, Projector } from '@nqpf/projections';
import { centerOfEvent } from '../standing/center-of-event';
import { affectsLedger, reduceLedger } from './ledger.reducer';
import { emptyLedger, LedgerState } from './ledger.state';
import { createLedgerTables, LEDGER_SCHEMA, loadLedgers, saveLedgers } from './ledger.table';

/** The pure ledger reducer keyed by center: the same fold for the live model, rebuild and as-of. */
export const ledgerReducer: DocumentReducer<LedgerState> = {
  handles: affectsLedger,
  keyOf: (event) => (affectsLedger(event.type) ? centerOfEvent(event) : null),
  initial: emptyLedger,
  evolve: reduceLedger,
};

/** read side `ledger`: finance's topic into <schema>.ledger_centers and <schema>.ledger_years. */
export function ledgerProjector(topicPrefix: string): Projector {
  return documentProjector<LedgerState>({
    name: LEDGER_SCHEMA,
    topics: [serviceTopic('finance', topicPrefix)],
    tables: [
      { name: 'ledger_centers', primaryKey: ['center_id'] },
      { name: 'ledger_years', primaryKey: ['center_id', 'support_year'] },
    ],
    validate: EventPayloadSchemas,
    createTables: createLedgerTables,
    model: {
      reducer: ledgerReducer,
      load: loadLedgers,
      save: saveLedgers,
    },
  });
}
