import type { EventEnvelope } from '@nqpf/contracts';
import { uuidv7 } from '@nqpf/contracts';
import { jsonDocumentProjector } from './document-projector';
import type { DocumentReducer } from './projector';

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
