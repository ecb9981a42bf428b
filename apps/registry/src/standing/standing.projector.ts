import { EventPayloadSchemas, SERVICES, serviceTopic } from '@nqpf/contracts';
import { documentProjector, DocumentReducer, Projector } from '@nqpf/projections';
import { centerOfEvent } from './center-of-event';
import { withDerived } from './standing.derive';
import { affectsStanding, evolveStanding } from './standing.reducer';
import { emptyStanding, StandingRow } from './standing.row';
import { createStandingTable, loadStanding, saveStanding, STANDING_SCHEMA } from './standing.table';

/** The pure standing reducer keyed by center: the same fold for the live model, rebuild and as-of. */
export const standingReducer: DocumentReducer<StandingRow> = {
  handles: affectsStanding,
  keyOf: (event) => (affectsStanding(event.type) ? centerOfEvent(event) : null),
  initial: emptyStanding,
  evolve: evolveStanding,
  settle: withDerived,
};

/** read side `standing`: every service's topic into <schema>.standing (libs/projections runs it). */
export function standingProjector(topicPrefix: string): Projector {
  return documentProjector<StandingRow>({
    name: STANDING_SCHEMA,
    topics: SERVICES.map((s) => serviceTopic(s, topicPrefix)),
    tables: [{ name: 'standing', primaryKey: ['center_id'] }],
    validate: EventPayloadSchemas,
    createTables: createStandingTable,
    model: {
      reducer: standingReducer,
      load: loadStanding,
      save: saveStanding,
    },
  });
}
