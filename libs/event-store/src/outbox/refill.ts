import type { EventEnvelope } from '@nqpf/contracts';
import { eventHash } from '../hash';
import type { Queryable } from '../queryable';
import type { EventSeal } from '../seal';
import type { KnownHead } from '../verify-chain';

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
 * The copies a service published to Kafka, gathered for a refill of its store (a restored database that
 * lost events Kafka still has). Only what a refill needs is kept: per stream, the copies from the store's
 * head version up, and the highest copy (compared with the store where the store is not behind).
 */
export class TopicCopies {
  private readonly tails = new Map<string, Map<number, Copy>>();
  private readonly highest = new Map<string, EventEnvelope>();
  readonly conflicts: RefillConflict[] = [];

  constructor(private readonly heads: ReadonlyMap<string, KnownHead>) {}

  add(copy: EventEnvelope, seal?: EventSeal): void {
    const { streamId, streamVersion } = copy;
    const top = this.highest.get(streamId);
    if (!top || top.streamVersion < streamVersion) this.highest.set(streamId, copy);
    if (streamVersion < (this.heads.get(streamId)?.streamVersion ?? 0)) return;
    const tail = this.tails.get(streamId) ?? new Map<number, Copy>();
    this.tails.set(streamId, tail);
    const seen = tail.get(streamVersion)?.event;
    // The same event published twice (a producer retry, a republish) is one copy; two events at one
    // version are a store that handed the version out again after an earlier restore.
    if (seen && seen.hash !== copy.hash)
      this.conflicts.push({
        streamId,
        streamVersion,
        detail: `Kafka holds two different events at this version (${seen.id}, ${copy.id})`,
      });
    else if (!seen || seal) tail.set(streamVersion, { event: copy, seal });
  }

  /** The highest copy of each stream the store is ahead of: the store must hold the same event there. */
  passedByStore(): EventEnvelope[] {
    return [...this.highest.values()].filter(
      (e) => e.streamVersion < (this.heads.get(e.streamId)?.streamVersion ?? 0),
    );
  }

  /**
   * The events to insert, in stream-version order per stream, or the conflicts that forbid a refill: each
   * stream's copies must continue its stored head (the copy at the head's version has the head's hash),
   * run without a gap, link to each other and match their own hashes.
   */
  plan(): { insert: Copy[]; conflicts: RefillConflict[] } {
    const insert: Copy[] = [];
    const conflicts = [...this.conflicts];
    for (const [streamId, tail] of this.tails) {
      const head = this.heads.get(streamId) ?? { streamVersion: 0, hash: null };
      const atHead = tail.get(head.streamVersion)?.event;
      if (atHead && atHead.hash !== head.hash) {
        conflicts.push({
          streamId,
          streamVersion: head.streamVersion,
          detail: `the store's event here differs from the copy on Kafka (${atHead.id}): the stream went another way after the restore`,
        });
        continue;
      }
      let previous = head.hash;
      let version = head.streamVersion + 1;
      for (; tail.has(version); version++) {
        const { event: copy } = tail.get(version)!;
        const problem =
          copy.previousHash !== previous
            ? 'does not link to the event before it'
            : eventHash(copy) !== copy.hash
              ? 'does not match its own hash'
              : null;
        if (problem) {
          conflicts.push({ streamId, streamVersion: version, detail: `the copy on Kafka ${problem}` });
          break;
        }
        insert.push(tail.get(version)!);
        previous = copy.hash;
      }
      const after = Math.max(...tail.keys());
      if (!tail.has(version) && after > version)
        conflicts.push({
          streamId,
          streamVersion: version,
          detail: `Kafka lacks this version (it has up to ${after})`,
        });
    }
    return { insert, conflicts };
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

/**
 * Inserts copies from Kafka as they were stored (position, ids, times, hashes, seals), each with an outbox
 * row already published (Kafka has it), in one transaction, and moves the position sequence past them so
 * the service's next append cannot reuse a position. Refuses (throws) when a position is taken: the service
 * appended after the restore, and a refill would put two events at one position.
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
    `with ins as (
       insert into ${schema}.events (position, event_id, stream_id, stream_version, type, schema_version,
         occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
       select * from unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[],
         $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::jsonb[], $12::text[], $13::jsonb[],
         $14::text[], $15::text[])
       returning position)
     insert into ${schema}.outbox (position, topic, published_at) select position, $16, now() from ins`,
    [
      column((e) => e.position),
      column((e) => e.id),
      column((e) => e.streamId),
      column((e) => e.streamVersion),
      column((e) => e.type),
      column((e) => e.schemaVersion),
      column((e) => e.occurredAt),
      column((e) => e.recordedAt),
      column((e) => e.correlationId),
      column((e) => e.causationId),
      column((e) => JSON.stringify(e.actor)),
      column((e) => e.centerId),
      column((e) => JSON.stringify(e.payload)),
      column((e) => e.previousHash),
      column((e) => e.hash),
      topic,
    ],
  );
  const sealed = refill.filter((c) => c.seal);
  await tx.query(
    `insert into ${schema}.event_seals (position, key_id, signature)
     select * from unnest($1::bigint[], $2::text[], $3::text[])`,
    [
      sealed.map((c) => c.event.position),
      sealed.map((c) => c.seal!.keyId),
      sealed.map((c) => c.seal!.signature),
    ],
  );
  await tx.query(
    `select setval('${schema}.event_position', greatest((select max(position) from ${schema}.events),
       (select last_value from ${schema}.event_position)))`,
  );
}
