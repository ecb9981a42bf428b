import type { EventEnvelope } from '@nqpf/contracts';
import { eventHash } from './hash';
import type { EventSeal, SealKeys } from './seal';

export type ChainProblem = 'modified' | 'removed' | 'inserted' | 'reordered' | 'unsealed' | 'bad-seal';

export interface BrokenLink {
  streamId: string;
  streamVersion: number;
  eventId: string;
  problem: ChainProblem;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Events examined; in a broken stream, up to and including its first broken one. */
  checked: number;
  firstBroken?: BrokenLink;
  /** A store's report: each broken stream's first broken event (at most MAX_LISTED_BREAKS). */
  broken?: BrokenLink[];
  /** A store's report: how many streams are broken. */
  brokenStreams?: number;
}

/** What the verifier was told elsewhere (a Kafka copy, a projection) a stream's head is. */
export interface KnownHead {
  streamVersion: number;
  hash: string;
}

/** The trusted seal keys and the stored seals of a stream's events, by stream version. */
export interface StreamSeals {
  keys: SealKeys;
  byVersion: ReadonlyMap<number, readonly EventSeal[]>;
  /** Filled, when given, with the seal that vouched for each sealed version (what a copy may carry). */
  validated?: Map<number, EventSeal>;
}

/**
 * Checks one stream's stored events, given in stream-version order. Versions must run 1, 2, 3…: a gap is
 * a removal, a version that does not increase (a repeat) an insertion. A link to a later event's hash is
 * a reordering; a link to anything else is an insertion; a hash that does not match the content is a
 * modification. Removing a stream's LAST event leaves a valid chain: only a `knownHead` recorded
 * elsewhere reveals it. With `seals`, every event must lie inside a seal of a trusted key (sealCoverage).
 * `after`: the events continue the stream from that event, where a seal ended (the relay checks only what it
 * publishes); by default they start it.
 */
export function verifyStreamChain(
  streamId: string,
  events: EventEnvelope[],
  knownHead?: KnownHead,
  seals?: StreamSeals,
  after?: EventEnvelope,
): VerifyReport {
  let previous: EventEnvelope | undefined = after;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    const broken = (problem: ChainProblem, detail: string): VerifyReport => ({
      ok: false,
      checked: i + 1,
      firstBroken: {
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        eventId: event.id,
        problem,
        detail,
      },
    });
    const expectedVersion = (previous?.streamVersion ?? 0) + 1;
    if (event.streamVersion > expectedVersion) {
      return broken('removed', `versions ${expectedVersion}..${event.streamVersion - 1} are missing`);
    }
    // A version that does not increase (a repeat, or a first event not at 1) was added beside the chain:
    // it may link to a real event with a recomputed hash, so the links alone would pass it.
    if (event.streamVersion !== expectedVersion) {
      return broken(
        'inserted',
        `version ${event.streamVersion} where version ${expectedVersion} was expected`,
      );
    }
    // Positions come from one sequence in append order: each event of a stream after the one before it.
    // An event placed below the stream's earlier ones (in a gap of the sequence, at a negative number) is
    // not one the store made.
    if (
      !/^[1-9][0-9]*$/.test(event.position) ||
      (previous && BigInt(event.position) <= BigInt(previous.position))
    )
      return broken('inserted', `position ${event.position} does not follow the stream's earlier positions`);
    const expectedLink = previous?.hash ?? null;
    if (event.previousHash !== expectedLink) {
      const later = events.slice(i + 1).find((e) => e.hash === event.previousHash);
      return later
        ? broken('reordered', `links to version ${later.streamVersion}, which is stored after it`)
        : broken('inserted', 'does not link to the event before it');
    }
    if (eventHash(event) !== event.hash) return broken('modified', 'content does not match its hash');
    previous = event;
  }
  if (knownHead && (previous?.streamVersion ?? 0) < knownHead.streamVersion) {
    return {
      ok: false,
      checked: events.length,
      firstBroken: {
        streamId,
        streamVersion: knownHead.streamVersion,
        eventId: '',
        problem: 'removed',
        detail: `stream ends at version ${previous?.streamVersion ?? 0}, known head is ${knownHead.streamVersion}`,
      },
    };
  }
  const atHead = knownHead && events.find((e) => e.streamVersion === knownHead.streamVersion);
  if (atHead && atHead.hash !== knownHead.hash) {
    return {
      ok: false,
      checked: events.length,
      firstBroken: {
        streamId: atHead.streamId,
        streamVersion: atHead.streamVersion,
        eventId: atHead.id,
        problem: 'modified',
        detail: 'hash differs from the known head',
      },
    };
  }
  const uncovered = seals && sealCoverage(events, seals, after?.hash ?? null);
  if (uncovered) return { ok: false, checked: events.length, firstBroken: uncovered };
  return { ok: true, checked: events.length };
}

/**
 * The first event of a (chain-checked) stream that no trusted seal vouches for, or undefined. Each seal
 * signs one append's range (sealedText): walking the stream, a seal must start where the last trusted one
 * ended (or at the stream's start), and the last event must end one. An event left outside is one nobody
 * holding a key appended: at the tail it is `unsealed` (or `bad-seal`, when the seal there is forged or of
 * an untrusted key), and buried under a later append of the service — whose seal then starts after it — it
 * is named too.
 */
function sealCoverage(
  events: EventEnvelope[],
  { keys, byVersion, validated }: StreamSeals,
  startHash: string | null,
): BrokenLink | undefined {
  let covered = 0; // events[0 .. covered - 1] lie inside trusted seals
  let badSeal: { at: number; detail: string } | undefined;
  const link = (i: number, problem: ChainProblem, detail: string): BrokenLink => ({
    streamId: events[i]!.streamId,
    streamVersion: events[i]!.streamVersion,
    eventId: events[i]!.id,
    problem,
    detail,
  });
  for (let i = 0; i < events.length; i++) {
    const sealsHere = byVersion.get(events[i]!.streamVersion) ?? [];
    if (sealsHere.length === 0) continue;
    const from = covered === 0 ? startHash : events[covered - 1]!.hash;
    const valid = keys.validSeal(sealsHere, events[i]!.hash, from);
    if (valid) {
      validated?.set(events[i]!.streamVersion, valid);
      covered = i + 1;
      badSeal = undefined; // a seal over the whole stream (a re-seal) also covers a bad one before it
      continue;
    }
    if (badSeal) continue; // the first failing seal since the last trusted one is the one to explain
    const problem = keys.check(sealsHere, events[i]!.hash, from)!;
    // A genuine seal that starts later: the events between the last trusted seal and its start are outside.
    // Searched once per uncovered stretch, so junk seals on every event cost one pass, not one per seal.
    for (let start = covered + 1; start <= i; start++)
      if (!keys.check(sealsHere, events[i]!.hash, events[start - 1]!.hash))
        return link(
          covered,
          'unsealed',
          `no seal covers it: the seal of version ${events[i]!.streamVersion} covers only from version ${events[start]!.streamVersion}`,
        );
    badSeal = { at: i, detail: problem.detail };
  }
  if (covered === events.length) return undefined;
  return badSeal
    ? link(badSeal.at, 'bad-seal', badSeal.detail)
    : link(covered, 'unsealed', 'no seal covers it: appended without a service key');
}
