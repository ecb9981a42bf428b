import type { EventEnvelope } from '@nqpf/contracts';
import { eventHash } from '../hash';
import type { EventSeal, SealKeys } from '../seal';

/** An outbox event with the seals stored beside it. */
export interface SealedCandidate {
  event: EventEnvelope;
  seals: readonly EventSeal[];
}

/** An unpublished event no seal of the service vouches for: the relay publishes nothing from it on. */
export class UnsealedEventError extends Error {
  override readonly name = 'UnsealedEventError';
  constructor(
    readonly event: Pick<EventEnvelope, 'streamId' | 'streamVersion' | 'position'>,
    readonly detail: string,
  ) {
    super(
      `event ${event.streamId} v${event.streamVersion} (position ${event.position}) is not published: ${detail}; ` +
        'run nqpf audit verify --seal-keys and see docs/operations.md, "Relay halted"',
    );
  }
}

export interface SealedPrefix {
  /** How many of the candidates, from the first, lie inside valid seals: these may be published. */
  count: number;
  /**
   * The first candidate of each stream whose append the candidates end inside of (its seal lies beyond
   * them, or nowhere): the relay looks for that seal before publishing past it.
   */
  open: EventEnvelope[];
}

/**
 * Which outbox events, in position order, may be published: each must match its hash and link to the one
 * before it in its stream, and lie inside a seal of `keys` that starts where the stream's last sealed
 * append ended (the events before a stream's first candidate were published, hence checked, before).
 * Events positioned up to `preSeal` — the store's last position before it had seals — were appended
 * before the service had a key and pass as they are. A bad hash, link or seal throws.
 */
export function sealedPrefix(
  candidates: readonly SealedCandidate[],
  keys: SealKeys,
  preSeal: string | null,
): SealedPrefix {
  const streams = new Map<string, { from: string | null; last: string; open?: number }>();
  candidates.forEach(({ event, seals }, i) => {
    if (eventHash(event) !== event.hash)
      throw new UnsealedEventError(event, 'its content does not match its hash');
    const stream = streams.get(event.streamId);
    if (stream && event.previousHash !== stream.last)
      throw new UnsealedEventError(event, 'it does not link to the event before it');
    const state = stream ?? { from: event.previousHash, last: event.hash };
    state.last = event.hash;
    streams.set(event.streamId, state);
    if (BigInt(event.position) <= BigInt(preSeal ?? 0)) {
      state.from = event.hash;
      return;
    }
    state.open ??= i;
    if (seals.length === 0) return;
    const problem = keys.check(seals, event.hash, state.from);
    if (problem) {
      // A genuine seal over a later start leaves the events before that start outside: name the first.
      const start = candidates.findIndex(
        (c, j) =>
          j > state.open! &&
          j <= i &&
          c.event.streamId === event.streamId &&
          !keys.check(seals, event.hash, c.event.previousHash),
      );
      if (start >= 0)
        throw new UnsealedEventError(
          candidates[state.open]!.event,
          `no seal covers it: the seal of version ${event.streamVersion} covers only from version ${candidates[start]!.event.streamVersion}`,
        );
      throw new UnsealedEventError(event, `its seal is not one of the service's: ${problem.detail}`);
    }
    state.from = event.hash;
    state.open = undefined;
  });
  const open = [...streams.values()]
    .flatMap((s) => (s.open === undefined ? [] : [s.open]))
    .sort((a, b) => a - b);
  return { count: open[0] ?? candidates.length, open: open.map((i) => candidates[i]!.event) };
}
