import type { EventEnvelope } from '@nqpf/contracts';
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

type SealedRow = EventRow & { seals: EventSeal[] | null; anchor: number };

/**
 * Throws UnsealedEventError unless each of `events` lies inside a seal of `keys` with its chain intact, so
 * that an event someone wrote into the database with an outbox row — without the service's key — never
 * reaches the consumers (the nightly verify would name it only after they acted on it). Per stream, reads
 * from the last sealed event before the batch's first (the anchor: a seal ended there) up to the first
 * sealed one at or after its last, and checks that stretch as verify does: versions, links and hashes,
 * and seals meeting end to end from the anchor. A forged seal row can only make this fail, never pass: a
 * pass needs a trusted key's signature over the stretch's hashes.
 */
export async function requireSealed(
  db: Queryable,
  schema: string,
  keys: SealKeys,
  events: readonly Pick<EventEnvelope, 'streamId' | 'streamVersion'>[],
): Promise<void> {
  const range = new Map<string, { lo: number; hi: number }>();
  for (const { streamId, streamVersion } of events) {
    const r = range.get(streamId) ?? { lo: streamVersion, hi: streamVersion };
    range.set(streamId, { lo: Math.min(r.lo, streamVersion), hi: Math.max(r.hi, streamVersion) });
  }
  const sealed = `exists (select 1 from ${schema}.event_seals s where s.position = e.position)`;
  const { rows } = await db.query<SealedRow>(
    `with b as (select * from unnest($1::text[], $2::int[], $3::int[]) as b(sid, lo, hi)),
     r as (
       select b.sid, b.hi,
         coalesce((select e.stream_version from ${schema}.events e
                    where e.stream_id = b.sid and e.stream_version < b.lo and ${sealed}
                    order by e.stream_version desc limit 1), 0) as anchor,
         (select e.stream_version from ${schema}.events e
           where e.stream_id = b.sid and e.stream_version >= b.hi and ${sealed}
           order by e.stream_version limit 1) as stop
       from b)
     select ${EVENT_COLUMNS}, r.anchor,
       (select json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature) order by s.key_id)
          from ${schema}.event_seals s where s.position = e.position) as seals
       from r join ${schema}.events e on e.stream_id = r.sid
        and e.stream_version >= greatest(r.anchor, 1) and e.stream_version <= coalesce(r.stop, r.hi)
      order by e.stream_id, e.stream_version`,
    [[...range.keys()], [...range.values()].map((r) => r.lo), [...range.values()].map((r) => r.hi)],
  );
  const byStream = new Map<string, SealedRow[]>();
  for (const row of rows) {
    const list = byStream.get(row.stream_id) ?? [];
    list.push(row);
    byStream.set(row.stream_id, list);
  }
  for (const [streamId] of range) {
    const stretch = byStream.get(streamId) ?? [];
    const anchor = stretch[0] && stretch[0].anchor === stretch[0].stream_version ? stretch[0] : undefined;
    const checked = anchor ? stretch.slice(1) : stretch;
    const byVersion = new Map(checked.filter((r) => r.seals).map((r) => [r.stream_version, r.seals!]));
    const report = verifyStreamChain(
      streamId,
      checked.map(toEnvelope),
      undefined,
      { keys, byVersion },
      anchor && toEnvelope(anchor),
    );
    if (!report.ok) throw new UnsealedEventError(report.firstBroken!);
  }
}
