import type { Actor, EventEnvelope } from '@nqpf/contracts';
import { eventRowValues, insertEventsSql } from '../event-insert';
import { eventHash } from '../hash';
import type { Queryable } from '../queryable';
import { readStreamRows } from '../read-stream';
import type { EventSeal, SealKeys } from '../seal';
import { insertSeals } from '../seal-heads';
import { verifyStreamChain, type KnownHead } from '../verify-chain';

/** Why a stream cannot be refilled from its copies: the store and Kafka tell different stories. */
export interface RefillConflict {
  streamId: string;
  streamVersion: number;
  detail: string;
}

/** An event as published, with the store's seal when the record carried one. */
export interface Copy {
  event: EventEnvelope;
  seal?: EventSeal;
}

/**
 * A copy to refill; `rolloutHead`: unsealed, its stream's head in the rollout heads file, with the
 * service's sealed appends after it (nqpf audit seal-heads seals it in the store, as it did at the rollout).
 */
export interface PlannedCopy extends Copy {
  rolloutHead?: true;
}

/**
 * A record's value as an event: exactly the envelope's fields, each of its type, or an error naming what is
 * wrong. A refill stores what it reads: a field more or a number where text belongs would be hashed one way
 * now and read back another, and the stored event would fail verify for good.
 */
export function copyOf(value: unknown): EventEnvelope {
  const v = (value ?? {}) as Record<string, unknown>;
  const text = (name: string, pattern?: RegExp): string => {
    const x = v[name];
    if (typeof x !== 'string' || (pattern && !pattern.test(x))) throw new Error(`${name} is not valid`);
    return x;
  };
  const textOrNull = (name: string): string | null => (v[name] === null ? null : text(name));
  const positive = (name: string): number => {
    const x = v[name];
    if (!Number.isSafeInteger(x) || (x as number) < 1) throw new Error(`${name} is not valid`);
    return x as number;
  };
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const hex = /^[0-9a-f]{64}$/;
  if (typeof v.actor !== 'object' || v.actor === null || Array.isArray(v.actor))
    throw new Error('actor is not valid');
  if (!('payload' in v)) throw new Error('payload is missing');
  return {
    id: text('id'),
    type: text('type'),
    schemaVersion: positive('schemaVersion'),
    streamId: text('streamId'),
    streamVersion: positive('streamVersion'),
    position: text('position', /^[1-9][0-9]{0,18}$/),
    occurredAt: text('occurredAt', instant),
    recordedAt: text('recordedAt', instant),
    correlationId: text('correlationId'),
    causationId: textOrNull('causationId'),
    actor: v.actor as Actor,
    centerId: textOrNull('centerId'),
    payload: v.payload,
    previousHash: v.previousHash === null ? null : text('previousHash', hex),
    hash: text('hash', hex),
  };
}

/**
 * The copies a service published to Kafka, gathered for a refill of its store (a restored database that
 * lost events Kafka still has). Only what a refill needs is kept: per stream, the copies from the store's
 * head version up, and the highest copy (compared with the store where the store is not behind).
 */
export class TopicCopies {
  private readonly tails = new Map<string, Map<number, Copy>>();
  private readonly highest = new Map<string, EventEnvelope>();
  /** The lowest position of a copy that carried a seal: from there on, the service sealed its appends. */
  private firstSealed: bigint | null = null;
  readonly conflicts: RefillConflict[] = [];

  /**
   * `heads`: the store's stream heads; `keys`: the service's public seal keys; `rolloutHeads`: the heads
   * taken from Kafka when the keys were rolled out (the file `nqpf audit seal-heads` sealed by), for a store
   * restored to before the rollout. A stream's unsealed copy before its first sealed copy that is its head
   * in that file is where the service's first sealed append in it starts, as seal-heads vouched then.
   */
  constructor(
    private readonly heads: ReadonlyMap<string, KnownHead>,
    private readonly keys: SealKeys,
    private readonly rolloutHeads?: ReadonlyMap<string, KnownHead>,
  ) {}

  add(copy: EventEnvelope, seal?: EventSeal): void {
    const { streamId, streamVersion } = copy;
    if (seal && (this.firstSealed === null || BigInt(copy.position) < this.firstSealed))
      this.firstSealed = BigInt(copy.position);
    const top = this.highest.get(streamId);
    if (!top || top.streamVersion < streamVersion) this.highest.set(streamId, copy);
    if (streamVersion < (this.heads.get(streamId)?.streamVersion ?? 0)) return;
    const tail = this.tails.get(streamId) ?? new Map<number, Copy>();
    this.tails.set(streamId, tail);
    const seen = tail.get(streamVersion);
    // The same event published twice (a producer retry, a republish) is one copy, its seal the first one
    // given; two events at one version are a store that handed the version out again after a restore.
    if (seen && seen.event.hash !== copy.hash)
      this.conflicts.push({
        streamId,
        streamVersion,
        detail: `Kafka holds two different events at this version (${seen.event.id}, ${copy.id})`,
      });
    else if (!seen || (!seen.seal && seal)) tail.set(streamVersion, { event: copy, seal });
  }

  /** The highest copy of each stream the store is ahead of: the store must hold the same event there. */
  passedByStore(): EventEnvelope[] {
    return [...this.highest.values()].filter(
      (e) => e.streamVersion < (this.heads.get(e.streamId)?.streamVersion ?? 0),
    );
  }

  /**
   * The copies to insert, in stream-version order per stream, or the conflicts that forbid a refill: each
   * stream's copies must continue its stored head (the copy at the head's version has the head's hash),
   * run without a gap, link to each other and match their own hashes; every seal must be one of `keys`
   * over its append (from the stored head, the copy sealed before it or the stream's rollout head to its
   * copy), and a stream's new head must be sealed once seals began (`storeFirstSeal`, or the first sealed
   * copy): else it is an append published in part, or not its service's.
   */
  plan(storeFirstSeal: string | null): { insert: PlannedCopy[]; conflicts: RefillConflict[] } {
    const insert: PlannedCopy[] = [];
    const conflicts = [...this.conflicts];
    const sealsFrom = [storeFirstSeal === null ? null : BigInt(storeFirstSeal), this.firstSealed]
      .filter((p): p is bigint => p !== null)
      .reduce<bigint | null>((low, p) => (low === null || p < low ? p : low), null);
    for (const [streamId, tail] of this.tails) {
      const stream = this.streamPlan(streamId, tail, sealsFrom);
      if ('conflict' in stream) conflicts.push(stream.conflict);
      else insert.push(...stream.insert);
    }
    return { insert, conflicts };
  }

  private streamPlan(
    streamId: string,
    tail: Map<number, Copy>,
    sealsFrom: bigint | null,
  ): { insert: PlannedCopy[] } | { conflict: RefillConflict } {
    const conflict = (streamVersion: number, detail: string) => ({
      conflict: { streamId, streamVersion, detail },
    });
    // A seal that does not start where the refill thinks, after unsealed copies from before seals began.
    const hint = (unsealed: number | null): string =>
      unsealed === null
        ? ''
        : this.rolloutHeads
          ? ` (version ${unsealed} before it, unsealed, is not the stream's head in the rollout heads file)`
          : ' (if the store was restored to before the seal-key rollout, refill with the heads taken at the rollout)';
    const head = this.heads.get(streamId) ?? { streamVersion: 0, hash: null };
    const atHead = tail.get(head.streamVersion)?.event;
    if (atHead && atHead.hash !== head.hash)
      return conflict(
        head.streamVersion,
        `the store's event here differs from the copy on Kafka (${atHead.id}): the stream went another way after the restore`,
      );
    const insert: PlannedCopy[] = [];
    let previous = head.hash;
    // Where the next sealed append starts: seals meet end to end, from the stored head on.
    let appendStart = head.hash;
    // The last unsealed copy since appendStart from before seals began (a store restored to before them).
    let unsealedBefore: number | null = null;
    const rolloutHead = this.rolloutHeads?.get(streamId);
    let sealedSeen = false;
    let version = head.streamVersion + 1;
    for (; tail.has(version); version++) {
      const copy = tail.get(version)!;
      if (copy.event.previousHash !== previous)
        return conflict(version, 'the copy on Kafka does not link to the event before it');
      if (eventHash(copy.event) !== copy.event.hash)
        return conflict(version, 'the copy on Kafka does not match its own hash');
      const sealProblem = copy.seal && this.keys.check([copy.seal], copy.event.hash, appendStart);
      if (sealProblem)
        return conflict(version, `the copy's seal: ${sealProblem.detail}${hint(unsealedBefore)}`);
      const beforeSeals = sealsFrom === null || BigInt(copy.event.position) < sealsFrom;
      const atRollout =
        !copy.seal &&
        !sealedSeen &&
        beforeSeals &&
        rolloutHead?.streamVersion === version &&
        rolloutHead.hash === copy.event.hash;
      insert.push(atRollout ? { ...copy, rolloutHead: true } : copy);
      previous = copy.event.hash;
      if (copy.seal || atRollout) {
        // A rollout head is the stream's head when the keys were rolled out, which seal-heads sealed in
        // the store then: the service's first sealed append in the stream starts there (that seal was
        // never published).
        appendStart = copy.event.hash;
        unsealedBefore = null;
        sealedSeen ||= copy.seal !== undefined;
      } else if (beforeSeals) unsealedBefore = version;
    }
    const after = Math.max(...tail.keys());
    if (after > version - 1 && !tail.has(version))
      return conflict(version, `Kafka lacks this version (it has up to ${after})`);
    const newHead = insert[insert.length - 1];
    if (newHead && !newHead.seal && sealsFrom !== null && BigInt(newHead.event.position) > sealsFrom)
      return conflict(
        newHead.event.streamVersion,
        'the copy that would be the head carries no seal, though its service sealed its appends by then: an append published in part, or one its service did not make',
      );
    return { insert };
  }
}

/** The stored hash at each (stream, version) asked for, where there is an event. */
export async function storedHashes(
  db: Queryable,
  schema: string,
  at: { streamId: string; streamVersion: number }[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ stream_id: string; stream_version: number; hash: string }>(
    `select e.stream_id, e.stream_version, e.hash from ${schema}.events e
       join unnest($1::text[], $2::int[]) as k(stream_id, stream_version) using (stream_id, stream_version)`,
    [at.map((a) => a.streamId), at.map((a) => a.streamVersion)],
  );
  return new Map(rows.map((r) => [`${r.stream_id}@${r.stream_version}`, r.hash]));
}

/** The position of the store's first seal: from there on its service sealed what it appended. */
export async function firstSealPosition(db: Queryable, schema: string): Promise<string | null> {
  const { rows } = await db.query<{ position: string | null }>(
    `select min(position) as position from ${schema}.event_seals`,
  );
  return rows[0]?.position ?? null;
}

/** A stored event whose outbox row is not marked published: its id and hash, by position. */
export type UnpublishedEvents = Map<string, { id: string; hash: string }>;

/** The store's events on `topic` whose outbox rows are not marked published (the relay would send them). */
export async function unpublishedEvents(
  db: Queryable,
  schema: string,
  topic: string,
): Promise<UnpublishedEvents> {
  const { rows } = await db.query<{ position: string; id: string; hash: string }>(
    `select o.position::text as position, e.event_id::text as id, e.hash
       from ${schema}.outbox o join ${schema}.events e using (position)
      where o.published_at is null and o.topic = $1`,
    [topic],
  );
  return new Map(rows.map((r) => [r.position, { id: r.id, hash: r.hash }]));
}

/**
 * Marks published the outbox rows at `positions` (stored events a refill read, identical, from Kafka:
 * position, id and hash), so the relay does not send them a second time; returns how many it marked.
 */
export async function markPublished(tx: Queryable, schema: string, positions: string[]): Promise<number> {
  if (positions.length === 0) return 0;
  const { rowCount } = await tx.query(
    `update ${schema}.outbox set published_at = now() where position = any($1::bigint[]) and published_at is null`,
    [positions],
  );
  return rowCount ?? 0;
}

/**
 * Inserts copies from Kafka as they were stored (position, ids, times, hashes, seals), each with an outbox
 * row already published (Kafka has it), and moves the position sequence past them so the service's next
 * append cannot reuse a position; then reads every refilled stream back and checks its chain. Throws (the
 * caller's transaction rolls back) when a position is taken — the service appended after the restore — or
 * a refilled stream does not verify.
 */
export async function insertCopies(
  tx: Queryable,
  schema: string,
  topic: string,
  refill: Copy[],
): Promise<void> {
  if (refill.length === 0) return;
  const copies = refill.map((c) => c.event);
  const column = <T>(pick: (e: EventEnvelope) => T): T[] => copies.map(pick);
  const taken = await tx.query<{ position: string }>(
    `select position from ${schema}.events where position = any($1::bigint[]) limit 1`,
    [column((e) => e.position)],
  );
  if (taken.rows.length > 0)
    throw new Error(
      `position ${taken.rows[0]!.position} is taken by another event: the service appended after the restore; nothing was refilled`,
    );
  await tx.query(
    `with ins as (${insertEventsSql(schema)} returning position)
     insert into ${schema}.outbox (position, topic, published_at) select position, $16, now() from ins`,
    [
      ...eventRowValues(
        copies,
        copies.map((e) => JSON.stringify(e.actor)),
        copies.map((e) => JSON.stringify(e.payload)),
      ),
      topic,
    ],
  );
  await insertSeals(
    tx,
    schema,
    refill.flatMap((c) => (c.seal ? [{ position: c.event.position, seal: c.seal }] : [])),
  );
  await tx.query(
    `select setval('${schema}.event_position', greatest((select max(position) from ${schema}.events),
       (select last_value from ${schema}.event_position)))`,
  );
  // As verify will read them: a copy stored otherwise than it was hashed must not stay.
  for (const streamId of new Set(column((e) => e.streamId))) {
    const report = verifyStreamChain(streamId, await readStreamRows(tx, schema, streamId));
    if (!report.ok)
      throw new Error(
        `stream ${streamId} would not verify after the refill (${report.firstBroken!.problem} at version ${report.firstBroken!.streamVersion}); nothing was refilled`,
      );
  }
}
