import {
  contractKey,
  knownEventsOf,
  knowsEvent,
  publishedEventsOf,
  publishedVersionsOf,
  unknownEventText,
} from './known-events';
import { EVENT_CONTRACTS } from './schemas/registry';

describe('knowsEvent: the one rule for an event a reader may not know', () => {
  // Keyed as a consumer's `validate` and the registry are: `type` for version 1, `type@vN` after.
  const known = knownEventsOf({ Tallied: {}, 'Tallied@v2': {}, 'Counted@v3': {} });

  it('keys a contract by its type at version 1 and by type@vN after', () => {
    expect(contractKey('Tallied', 1)).toBe('Tallied');
    expect(contractKey('Tallied', 2)).toBe('Tallied@v2');
  });

  it('knows an event whose type a contract describes at that version, older ones included', () => {
    expect(knowsEvent(known, 'Tallied', 1)).toBe('known');
    expect(knowsEvent(known, 'Tallied', 2)).toBe('known');
    expect(knowsEvent(known, 'Counted', 3)).toBe('known');
  });

  it("does not know a version of a known type that no contract describes (a newer release's): never read as another", () => {
    expect(knowsEvent(known, 'Tallied', 99)).toBe('unknown-version');
    expect(knowsEvent(known, 'Counted', 1)).toBe('unknown-version');
  });

  it('does not know a type no contract names, whatever its version', () => {
    expect(knowsEvent(known, 'Tallied2', 1)).toBe('unknown-type');
    expect(knowsEvent(known, 'toString', 1)).toBe('unknown-type');
  });

  it('without a version, asks of the type alone (a record sorted by its type header)', () => {
    expect(knowsEvent(known, 'Counted')).toBe('known');
    expect(knowsEvent(known, 'Tallied2')).toBe('unknown-type');
  });

  it('describes what it does not know, naming the type and, for a version, the version', () => {
    expect(unknownEventText('unknown-type', 'Tallied2', 1)).toBe('the event type Tallied2');
    expect(unknownEventText('unknown-version', 'Tallied', 99)).toBe(
      'schema version 99 of the event type Tallied',
    );
  });

  describe('for the types a decider declares (publishedEventsOf)', () => {
    const published = EVENT_CONTRACTS[0]!;

    it('knows each at the versions the registry publishes, and no other', () => {
      const known = publishedEventsOf({ [published.type]: true });
      expect(knowsEvent(known, published.type, published.schemaVersion)).toBe('known');
      expect(knowsEvent(known, published.type, 99)).toBe('unknown-version');
      expect(knowsEvent(known, 'review.candidacy-noted', 1)).toBe('unknown-type');
    });

    it('knows a type the registry does not publish (a test fixture) at version 1 only, as every type starts', () => {
      const known = publishedEventsOf({ counted: true });
      expect(knowsEvent(known, 'counted', 1)).toBe('known');
      expect(knowsEvent(known, 'counted', 2)).toBe('unknown-version');
      expect(publishedVersionsOf('counted')).toEqual([1]);
      expect(publishedVersionsOf(published.type)).toContain(published.schemaVersion);
    });
  });
});
