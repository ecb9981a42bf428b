import { evolveKnown, foldEvents, type Decider, type DomainEvent } from './decider';
import { UnknownEventTypeError, UnknownSchemaVersionError } from './unknown-event-type';

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

  it("refuses a schema version of a known type it does not know (a newer release's breaking change) alike, naming it too", () => {
    const newer: DomainEvent = { type: 'counted', schemaVersion: 99, payload: { times: 2 } };
    const fold = () => foldEvents(counter, [counted(2), newer], 'counter-1');
    expect(fold).toThrow(UnknownSchemaVersionError);
    // The same refusal as an unknown type's: 503, a consumer's wait, a skipped row (one class to catch).
    expect(fold).toThrow(UnknownEventTypeError);
    expect(fold).toThrow(/counter-1.*version 2.*counted.*schema version 99/);
  });

  it('folds the versions it knows: those the contracts publish for the type', () => {
    const opened: Decider<never, DomainEvent<'intake.call-opened'>, number> = {
      initialState: () => 0,
      decide: () => [],
      evolve: (n) => n + 1,
      eventTypes: { 'intake.call-opened': true },
    };
    const call = (schemaVersion: number): DomainEvent => ({
      type: 'intake.call-opened',
      schemaVersion,
      payload: {},
    });
    expect(foldEvents(opened, [call(1), call(1)])).toBe(2);
    expect(() => foldEvents(opened, [call(1), call(2)])).toThrow(UnknownSchemaVersionError);
  });

  it('is not fooled by a type named like an object property', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(() => evolveKnown(counter, 0, { type, schemaVersion: 1, payload: {} }, 's', 1)).toThrow(
        UnknownEventTypeError,
      );
  });
});
