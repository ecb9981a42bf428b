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

export interface Decider<C, E extends DomainEvent, S> {
  initialState: () => S;
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
}

export function foldEvents<E extends DomainEvent, S>(
  decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>,
  events: E[],
): S {
  return events.reduce(decider.evolve, decider.initialState());
}
