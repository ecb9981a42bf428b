import { EVENT_CONTRACTS } from './schemas/registry';

/**
 * How contracts are keyed, in a consumer's or a model's `validate` as in the registry: `type` for schema
 * version 1, `type@v<N>` after.
 */
export function contractKey(type: string, schemaVersion: number): string {
  return schemaVersion === 1 ? type : `${type}@v${schemaVersion}`;
}

/** What a reader knows: the keys of the contracts it reads, and the types they name. */
export interface KnownEvents {
  readonly keys: ReadonlySet<string>;
  readonly types: ReadonlySet<string>;
}

/**
 * What a reader knows of an event. Not knowing its type and not knowing its schema version are one case
 * for the reader: a newer release wrote it (a rolling update, a rollback) and this one cannot read it.
 */
export type EventKnowledge = 'known' | 'unknown-type' | 'unknown-version';

/**
 * The rule, for every reader (a decider's load, a consumer, a read model): an event is known when one of
 * the reader's contracts describes its type at its schema version, older versions included. A version of
 * a known type that none describes (a newer release's breaking change) is never read as another version:
 * it is refused as an unknown type is. Without a version, asks of the type alone.
 */
export function knowsEvent(known: KnownEvents, type: string, schemaVersion?: number): EventKnowledge {
  if (!known.types.has(type)) return 'unknown-type';
  if (schemaVersion === undefined || known.keys.has(contractKey(type, schemaVersion))) return 'known';
  return 'unknown-version';
}

/** What the reader does not know, for a message: 'the event type X', 'schema version N of the event type X'. */
export function unknownEventText(
  knowledge: Exclude<EventKnowledge, 'known'>,
  type: string,
  schemaVersion: number,
): string {
  return knowledge === 'unknown-type'
    ? `the event type ${type}`
    : `schema version ${schemaVersion} of the event type ${type}`;
}

const knownOf = new WeakMap<object, KnownEvents>();

/** What the contracts keyed in `contracts` (a consumer's `validate`) know; computed once per object. */
export function knownEventsOf(contracts: Readonly<Record<string, unknown>>): KnownEvents {
  let known = knownOf.get(contracts);
  if (!known) {
    known = fromKeys(Object.keys(contracts));
    knownOf.set(contracts, known);
  }
  return known;
}

const publishedOf = new WeakMap<object, KnownEvents>();

/**
 * What a decider knows of the types it declares (`eventTypes`): each at the schema versions the registry
 * publishes for it (publishedVersionsOf). Computed once per object.
 */
export function publishedEventsOf(declared: Readonly<Record<string, unknown>>): KnownEvents {
  let known = publishedOf.get(declared);
  if (!known) {
    known = fromKeys(
      Object.keys(declared).flatMap((type) => publishedVersionsOf(type).map((v) => contractKey(type, v))),
    );
    publishedOf.set(declared, known);
  }
  return known;
}

/**
 * The schema versions of a type the registry publishes (a breaking change publishes a new one); a type it
 * has none of (a test's) at version 1, where every type starts.
 */
export function publishedVersionsOf(type: string): number[] {
  const published = EVENT_CONTRACTS.filter((c) => c.type === type).map((c) => c.schemaVersion);
  return published.length > 0 ? published : [1];
}

function fromKeys(keys: readonly string[]): KnownEvents {
  return { keys: new Set(keys), types: new Set(keys.map((key) => key.replace(/@v\d+$/, ''))) };
}
