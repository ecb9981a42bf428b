import { knowsEvent, publishedEventsOf } from '@nqpf/contracts';
import { UnknownEventTypeError, UnknownSchemaVersionError } from './unknown-event-type';

/**
 * An aggregate as two pure functions (Emmett's decider): decide(command, state) → events, and
 * evolve(state, event) → state. No framework, no I/O: trivially testable and replayable for audit.
 */
export interface DomainEvent<T extends string = string, P = unknown> {
  type: T;
  schemaVersion: number;
  payload: P;
  /** For events that name their center apart from the stream's (the envelope's center id). */
  centerId?: string | null;
}

/**
 * Every event type of E, each once: the type checker refuses a missing or an extra one, and a decider whose
 * event type is a plain `string` (which could not say what it knows) cannot declare any.
 */
export type EventTypes<E extends DomainEvent> = string extends E['type']
  ? never
  : { readonly [T in E['type']]: true };

export interface Decider<C, E extends DomainEvent, S> {
  initialState: () => S;
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
  /**
   * The types evolve folds, each at the schema versions the contracts publish for it (a type they do not
   * publish, at version 1). A stream may hold others, or another version, written by a newer release (a
   * rolling update, a rollback): a load meets them as UnknownEventTypeError (UnknownSchemaVersionError)
   * before evolve, never as an undefined state.
   */
  eventTypes: EventTypes<E>;
}

type Folding<E extends DomainEvent, S> = Pick<
  Decider<unknown, E, S>,
  'initialState' | 'evolve' | 'eventTypes'
>;

/**
 * evolve, after checking the decider knows the event: its type, at its schema version (as stored, any type
 * and version may come back; libs/contracts knowsEvent). `version`: the event's version in the stream
 * `streamId`, for the error.
 */
export function evolveKnown<E extends DomainEvent, S>(
  decider: Pick<Folding<E, S>, 'evolve' | 'eventTypes'>,
  state: S,
  event: DomainEvent,
  streamId: string,
  version: number,
): S {
  const knowledge = knowsEvent(publishedEventsOf(decider.eventTypes), event.type, event.schemaVersion);
  if (knowledge === 'unknown-type') throw new UnknownEventTypeError(streamId, version, event.type);
  if (knowledge === 'unknown-version')
    throw new UnknownSchemaVersionError(streamId, version, event.type, event.schemaVersion);
  return decider.evolve(state, event as E);
}

/** The state after `events`, from the start of the stream `streamId` (named in an UnknownEventTypeError). */
export function foldEvents<E extends DomainEvent, S>(
  decider: Folding<E, S>,
  events: readonly DomainEvent[],
  streamId = '(events given)',
): S {
  return events.reduce<S>(
    (state, event, i) => evolveKnown(decider, state, event, streamId, i + 1),
    decider.initialState(),
  );
}
