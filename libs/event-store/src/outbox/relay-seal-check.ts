import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from '../event-row';
import { eventHash } from '../hash';
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
 * links, hashes, and trusted seals meeting end to end. Each row must be in that stretch, as stored there
 * (position and hash), and its content must match its hash: what is published is what was checked.
 */
export async function requireSealed(
  db: Queryable,
  schema: string,
  keys: SealKeys,
  rows: readonly EventRow[],
): Promise<void> {
  const range = new Map<string, { lo: number; hi: number }>();
  for (const row of rows) {
    const event = toEnvelope(row);
    if (eventHash(event) !== event.hash)
      throw new UnsealedEventError(brokenAt(event, 'modified', 'content does not match its hash'));
    const r = range.get(event.streamId) ?? { lo: event.streamVersion, hi: event.streamVersion };
    range.set(event.streamId, {
      lo: Math.min(r.lo, event.streamVersion),
      hi: Math.max(r.hi, event.streamVersion),
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
    const checked = start ? stretch.slice(1) : stretch;
    const byVersion = new Map(checked.filter((r) => r.seals).map((r) => [r.stream_version, r.seals!]));
    const report = verifyStreamChain(
      streamId,
      checked.map(toEnvelope),
      undefined,
      { keys, byVersion },
      start && toEnvelope(start),
    );
    if (!report.ok) throw new UnsealedEventError(report.firstBroken!);
  }
  // A row the checked stretch does not hold as it is (a version below 1, a second row of one version).
  for (const row of rows) {
    const stored = byStream.get(row.stream_id)?.find((r) => r.stream_version === row.stream_version);
    if (stored?.position !== row.position || stored.hash !== row.hash)
      throw new UnsealedEventError(
        brokenAt(toEnvelope(row), 'inserted', 'not the event the checked chain holds at its version'),
      );
  }
}

function brokenAt(event: EventEnvelope, problem: BrokenLink['problem'], detail: string): BrokenLink {
  return { streamId: event.streamId, streamVersion: event.streamVersion, eventId: event.id, problem, detail };
}
