import { evolveKnown, foldEvents, type Decider, type DomainEvent } from './decider';
import { UnknownEventTypeError } from './unknown-event-type';

type Counted = DomainEvent<'counted', { by: number }> | DomainEvent<'reset', Record<string, never>>;

const counter: Decider<never, Counted, number> = {
  initialState: () => 0,
  decide: () => [],
  evolve: (n, e) => (e.type === 'counted' ? n + e.payload.by : 0),
  eventTypes: { counted: true, reset: true },
};

const counted = (by: number): DomainEvent => ({ type: 'counted', schemaVersion: 1, payload: { by } });

describe('folding a stream into a state', () => {
  it('folds the types the decider declares', () => {
    expect(foldEvents(counter, [counted(2), counted(3)])).toBe(5);
  });

  it("refuses any other type (a newer release's), naming the stream, the event's version and its type", () => {
    const newer: DomainEvent = { type: 'halved', schemaVersion: 1, payload: {} };
    const fold = () => foldEvents(counter, [counted(2), newer], 'counter-1');
    expect(fold).toThrow(UnknownEventTypeError);
    expect(fold).toThrow(/counter-1.*version 2.*halved/);
  });

  it('is not fooled by a type named like an object property', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(() => evolveKnown(counter, 0, { type, schemaVersion: 1, payload: {} }, 's', 1)).toThrow(
        UnknownEventTypeError,
      );
  });
});
