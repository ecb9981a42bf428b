import { EVENT_COLUMNS, toEnvelope, type EventRow } from '../event-row';
import type { Queryable } from '../queryable';
import type { EventSeal, SealKeys } from '../seal';
import { verifyStreamChain, type BrokenLink } from '../verify-chain';

/** An event the relay will not publish: outside every seal of the service's keys, or its chain broken. */
export class UnsealedEventError extends Error {
  override readonly name = 'UnsealedEventError';
  constructor(readonly link: BrokenLink) {
    super(
      `not publishing event ${link.eventId || '(missing)'} (stream ${link.streamId} version ${link.streamVersion}): ` +
        `${link.problem}, ${link.detail} — the relay stops here until it is investigated ` +
        '(docs/operations.md, "A relay stopped at an unsealed event")',
    );
  }
}

type SealedRow = EventRow & { seals: EventSeal[] | null; start: number };

/**
 * Throws UnsealedEventError unless each of `rows` — the outbox rows the relay is about to publish, as it
 * will publish them — lies inside a seal of `keys` with its chain intact, so that an event someone wrote
 * into the database without the service's key never reaches the consumers (the nightly verify would name it
 * only after they acted on it). Per stream, reads the stretch from the sealed event before the last sealed
 * one before the batch (the anchor; its own seal is checked too, so a seal row someone added cannot serve as
 * one) up to the first sealed event at or after the batch's last, and checks it as verify does: versions,
 * links, hashes, and trusted seals meeting end to end — with the batch's rows, as read, in their versions'
 * places (each must be the row stored there): what is published is what was checked. Returns, by position,
 * the seal that vouched for each sealed row of the batch: the one its copy may carry (not a seal row beside it).
 */
export async function requireSealed(
  db: Queryable,
  schema: string,
  keys: SealKeys,
  rows: readonly EventRow[],
): Promise<Map<string, EventSeal>> {
  const sealsOf = new Map<string, EventSeal>();
  const range = new Map<string, { lo: number; hi: number }>();
  const batch = new Map<string, EventRow>();
  for (const row of rows) {
    const key = `${row.stream_id}:${row.stream_version}`;
    if (batch.has(key)) throw notInChain(row);
    batch.set(key, row);
    const r = range.get(row.stream_id) ?? { lo: row.stream_version, hi: row.stream_version };
    range.set(row.stream_id, {
      lo: Math.min(r.lo, row.stream_version),
      hi: Math.max(r.hi, row.stream_version),
    });
  }
  const lastSealedBelow = (version: string) =>
    `(select e.stream_version from ${schema}.events e
       where e.stream_id = b.sid and e.stream_version < ${version}
         and exists (select 1 from ${schema}.event_seals s where s.position = e.position)
       order by e.stream_version desc limit 1)`;
  const { rows: stretches } = await db.query<SealedRow>(
    `with b as materialized (
       select b.*, ${lastSealedBelow('b.lo')} as anchor
         from unnest($1::text[], $2::int[], $3::int[]) as b(sid, lo, hi)),
     r as materialized (
       select b.sid, b.hi, coalesce(${lastSealedBelow('b.anchor')}, 0) as start,
         (select e.stream_version from ${schema}.events e
           where e.stream_id = b.sid and e.stream_version >= b.hi
             and exists (select 1 from ${schema}.event_seals s where s.position = e.position)
           order by e.stream_version limit 1) as stop
       from b)
     select ${EVENT_COLUMNS}, r.start,
       (select json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature) order by s.key_id)
          from ${schema}.event_seals s where s.position = e.position) as seals
       from r join ${schema}.events e on e.stream_id = r.sid
        and e.stream_version >= greatest(r.start, 1) and e.stream_version <= coalesce(r.stop, r.hi)
      order by e.stream_id, e.stream_version`,
    [[...range.keys()], [...range.values()].map((r) => r.lo), [...range.values()].map((r) => r.hi)],
  );
  const byStream = new Map<string, SealedRow[]>();
  for (const row of stretches) {
    const list = byStream.get(row.stream_id) ?? [];
    list.push(row);
    byStream.set(row.stream_id, list);
  }
  for (const [streamId] of range) {
    const stretch = byStream.get(streamId) ?? [];
    const start = stretch[0] && stretch[0].start === stretch[0].stream_version ? stretch[0] : undefined;
    // The batch's rows as read take their stored versions' places: their content is what gets checked (and
    // hashed once), and a row the stretch does not hold at its version (below 1, beside it) is refused.
    const checked = (start ? stretch.slice(1) : stretch).map((stored) => {
      const key = `${streamId}:${stored.stream_version}`;
      const read = batch.get(key);
      if (!read) return stored;
      if (read.position !== stored.position) throw notInChain(read);
      batch.delete(key);
      return { ...read, seals: stored.seals };
    });
    const byVersion = new Map(checked.filter((r) => r.seals).map((r) => [r.stream_version, r.seals!]));
    const validated = new Map<number, EventSeal>();
    const report = verifyStreamChain(
      streamId,
      checked.map(toEnvelope),
      undefined,
      { keys, byVersion, validated },
      start && toEnvelope(start),
    );
    if (!report.ok) throw new UnsealedEventError(report.firstBroken!);
    for (const row of checked) {
      const seal = validated.get(row.stream_version);
      if (seal) sealsOf.set(row.position, seal);
    }
  }
  for (const row of batch.values()) throw notInChain(row);
  return sealsOf;
}

const notInChain = (row: EventRow) =>
  new UnsealedEventError({
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    problem: 'inserted',
    detail: 'not the event the checked chain holds at its version',
  });
