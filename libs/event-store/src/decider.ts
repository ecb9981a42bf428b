import type { PoolClient } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { evolveKnown, type Decider, type DomainEvent } from '@nqpf/domain';
import type { AppendOptions } from './append-options';
import type { PostgresEventStore } from './postgres-event-store';

export interface SnapshotPolicy {
  aggregateType: string;
  /** Bump when the state's shape changes; older snapshots are then ignored. */
  stateVersion: number;
  /** Take a snapshot each time the stream crosses a multiple of this many events. */
  every: number;
}

export interface Loaded<State> {
  state: State;
  /** The stream's version the state reflects (0: no stream). */
  version: number;
}

export interface Handled<State> extends Loaded<State> {
  events: EventEnvelope[];
}

export type HandleOptions = Omit<AppendOptions, 'expectedVersion'> & {
  expectedVersion?: AppendOptions['expectedVersion'];
};

/**
 * Loads a stream (from its snapshot plus the tail when configured; an event of a type the decider does not
 * know is an UnknownEventTypeError, naming stream, version and type; one of a schema version of a known
 * type it does not know, an UnknownSchemaVersionError naming the version too), runs decide, appends the new
 * events with the loaded version as the expected one. A ConcurrencyConflictError passes through as is.
 */
export class AggregateRepository<State, Command, Event extends DomainEvent> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly snapshots?: SnapshotPolicy,
  ) {}

  async load(streamId: string, tx?: PoolClient): Promise<Loaded<State>> {
    const snapshot =
      this.snapshots &&
      (await this.store.loadSnapshot<State>(
        streamId,
        this.snapshots.aggregateType,
        this.snapshots.stateVersion,
        tx,
      ));
    const from = snapshot ? snapshot.streamVersion : 0;
    const tail = await this.store.readStream(streamId, { fromVersion: from + 1 }, tx);
    // A type or a schema version the decider does not know (a newer release's) is refused here, for every
    // service and path.
    const state = tail.reduce(
      (s, e) => evolveKnown(this.decider, s, toDomainEvent<Event>(e), streamId, e.streamVersion),
      snapshot?.state ?? this.decider.initialState(),
    );
    const version = tail.at(-1)?.streamVersion ?? from;
    // A long tail (no snapshot of this state version yet: a new stateVersion, or a stream that grew
    // before snapshots were configured) is folded once, not by every load until a command crosses a
    // multiple of `every`.
    if (this.snapshots && tail.length >= this.snapshots.every)
      await this.store.saveSnapshot(
        {
          streamId,
          aggregateType: this.snapshots.aggregateType,
          stateVersion: this.snapshots.stateVersion,
          streamVersion: version,
          state,
        },
        tx,
      );
    return { state, version };
  }

  /**
   * `loaded`: the stream as the caller already loaded it in the same transaction (e.g. to check access),
   * so it is not read twice; the append still expects its version, so a writer in between is a conflict.
   */
  handle(
    streamId: string,
    command: Command,
    options: HandleOptions,
    tx?: PoolClient,
    loaded?: Loaded<State>,
  ): Promise<Handled<State>> {
    return tx
      ? this.handleIn(tx, streamId, command, options, loaded)
      : this.store.transaction((t) => this.handleIn(t, streamId, command, options, loaded));
  }

  private async handleIn(
    tx: PoolClient,
    streamId: string,
    command: Command,
    options: HandleOptions,
    loaded?: Loaded<State>,
  ): Promise<Handled<State>> {
    const { state, version } = loaded ?? (await this.load(streamId, tx));
    const newEvents = this.decider.decide(command, state);
    if (newEvents.length === 0) return { state, version, events: [] };
    const expectedVersion = options.expectedVersion ?? (version === 0 ? 'no_stream' : version);
    const appended = await this.store.append(streamId, newEvents, { ...options, expectedVersion }, tx);
    const next = newEvents.reduce(this.decider.evolve, state);
    const nextVersion = appended.nextExpectedVersion;
    // Only a state that folded every event up to nextVersion is a snapshot: with a caller's expectedVersion
    // ('any', or another number) the append may land after events this state never saw.
    const complete = nextVersion === version + newEvents.length;
    if (
      this.snapshots &&
      complete &&
      Math.floor(nextVersion / this.snapshots.every) > Math.floor(version / this.snapshots.every)
    ) {
      await this.store.saveSnapshot(
        {
          streamId,
          aggregateType: this.snapshots.aggregateType,
          stateVersion: this.snapshots.stateVersion,
          streamVersion: nextVersion,
          state: next,
        },
        tx,
      );
    }
    return { state: next, version: nextVersion, events: appended.events };
  }
}

export function toDomainEvent<Event extends DomainEvent>(envelope: EventEnvelope): Event {
  return {
    type: envelope.type,
    schemaVersion: envelope.schemaVersion,
    payload: envelope.payload,
    centerId: envelope.centerId,
  } as Event;
}
