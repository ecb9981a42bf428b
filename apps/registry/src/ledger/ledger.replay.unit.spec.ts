import { EventEnvelope, EventPayloadSchemas } from '@nqpf/contracts';
import { ConsumedRecord, toWire } from '@nqpf/messaging';
import { asOfFilter, InMemoryFold } from '@nqpf/projections';
import { financeExamples } from '../../../../libs/contracts/src/schemas/testing/decided-examples';
import { exampleEnvelope } from '../../../../libs/contracts/src/schemas/testing/example-envelope';
import { encodeLedger } from './ledger.codec';
import { ledgerReducer } from './ledger.projector';
import { reduceLedger } from './ledger.reducer';
import { emptyLedger } from './ledger.state';
import { toLedgerView } from './ledger.view';

const C = 'center-1';
const TOPIC = 'nqpf.finance.events';

/**
 * Finance's own events (its decider's, a payment made before the revocation recorded after the stop
 * among them), each recorded a day after the one before, as Kafka records on one partition.
 */
const events: EventEnvelope[] = financeExamples()[0]!.events.map((e, i) => ({
  ...exampleEnvelope(e, C, i + 1),
  recordedAt: new Date(Date.UTC(2026, 2, 10 + i)).toISOString(),
}));
const records = (list: EventEnvelope[], from = 0): ConsumedRecord[] =>
  list.map((event, i) => {
    const wire = toWire(event);
    return {
      topic: TOPIC,
      partition: 0,
      offset: String(from + i),
      key: Buffer.from(wire.key),
      value: wire.value,
      headers: wire.headers,
      timestamp: '0',
    };
  });

/** The rebuild's and the as-of's fold (contract check, duplicates by stream version, the reducer). */
function replay(list: ConsumedRecord[], include?: (event: EventEnvelope) => boolean) {
  const fold = new InMemoryFold(ledgerReducer, EventPayloadSchemas, include);
  fold.add(list);
  return fold;
}

describe('ledger replayed from finance’s first event (rebuild, as-of)', () => {
  const reduced = events.findIndex((e) => e.type === 'finance.cancellation-reduced');

  it('gives the live fold, every event valid, also with the whole history delivered again', () => {
    expect(reduced).toBeGreaterThan(0);
    const live = events.reduce(reduceLedger, emptyLedger(C));
    const once = replay(records(events));
    expect(once.rejected).toBe(0);
    expect(once.documents.get(C)).toEqual(live);
    const twice = replay([...records(events), ...records(events, events.length)]);
    expect(twice.documents.get(C)).toEqual(live);
    // Year 2: granted on 良好, decided again on the grade corrected to 优秀 (1 000 000.00), then stopped.
    expect(toLedgerView(encodeLedger(live)).years[1]).toMatchObject({
      granted: '100000000',
      cancelled: '99900000',
      disbursed: '100000',
      balance: '100000',
    });
  });

  it('as of before the payment was recorded shows all of year 2 cancelled; after it, the reduction and the payment', () => {
    const at = (event: EventEnvelope) => asOfFilter({ recordedAt: new Date(event.recordedAt) });
    const before = replay(records(events), at(events[reduced - 1]!)).documents.get(C)!;
    expect(before.years['2']).toMatchObject({ cancelled: 100000000n, disbursed: 0n });
    const after = replay(records(events), at(events[reduced + 1]!)).documents.get(C)!;
    expect(after.years['2']).toMatchObject({ cancelled: 99900000n, disbursed: 100000n });
    expect(after.entries.slice(-2).map((e) => e.kind)).toEqual(['cancellation-reduction', 'disbursement']);
  });
});
