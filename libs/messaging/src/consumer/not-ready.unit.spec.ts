import { NotReadyYet, passesByItself } from './not-ready';

describe('passesByItself', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });
  const named = (name: string) => Object.assign(new Error('x'), { name });

  it('waits out what another writer or part of the service resolves', () => {
    expect(passesByItself(new NotReadyYet('copy behind'))).toBe(true);
    expect(passesByItself(named('ConcurrencyConflictError'))).toBe(true);
    expect(passesByItself(withCode('40001'))).toBe(true);
    expect(passesByItself(withCode('40P01'))).toBe(true);
  });

  it('waits out an aggregate a newer release wrote to (this replica is older than the object, not the event at fault)', () => {
    expect(passesByItself(named('UnknownEventTypeError'))).toBe(true);
    // Its stream holds a schema version of a known type this replica does not know: alike.
    expect(passesByItself(named('UnknownSchemaVersionError'))).toBe(true);
  });

  it("waits out the database a handler's own connection lost or could not get (not the event's fault)", () => {
    expect(passesByItself(withCode('53300'))).toBe(true); // too many clients
    expect(passesByItself(withCode('57P01'))).toBe(true); // terminated by the administrator
    expect(passesByItself(withCode('08006'))).toBe(true);
    expect(passesByItself(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('counts everything else as an attempt', () => {
    expect(passesByItself(new Error('handler exploded'))).toBe(false);
    expect(passesByItself(withCode('23505'))).toBe(false);
    expect(passesByItself(withCode('53100'))).toBe(false); // disk full: may be this event's own doing
    expect(passesByItself(named('DomainError'))).toBe(false);
  });
});
