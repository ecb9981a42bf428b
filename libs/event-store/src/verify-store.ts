import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-row';
import type { Queryable } from './queryable';
import { readStreamRows } from './read-stream';
import type { EventSeal, SealKeys } from './seal';
import { verifyStreamChain, type BrokenLink, type KnownHead, type VerifyReport } from './verify-chain';

export async function verifyStream(
  db: Queryable,
  schema: string,
  streamId: string,
  knownHead?: KnownHead,
  sealKeys?: SealKeys,
): Promise<VerifyReport> {
  const events = await readStreamRows(db, schema, streamId);
  const seals = sealKeys && { keys: sealKeys, byVersion: await sealsOf(db, schema, streamId) };
  return verifyStreamChain(streamId, events, knownHead, seals);
}

/** The seals of a stream's events, by stream version. */
async function sealsOf(db: Queryable, schema: string, streamId: string): Promise<Map<number, EventSeal[]>> {
  const { rows } = await db.query<{ stream_version: number; seals: EventSeal[] }>(
    `select e.stream_version, json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature)
              order by s.key_id) as seals
       from ${schema}.events e join ${schema}.event_seals s using (position)
      where e.stream_id = $1 group by e.stream_version`,
    [streamId],
  );
  return new Map(rows.map((r) => [r.stream_version, r.seals]));
}

interface SealedRow extends EventRow {
  seals: EventSeal[] | null;
}

/** How many broken links a store report lists; past it only the count of broken streams grows. */
export const MAX_LISTED_BREAKS = 100;

/**
 * Every stream, in stream id order, read in pages. A broken stream is listed (its first broken event) and
 * the check goes on with the next one, so one known break does not hide the others: `firstBroken` is the
 * first in stream id order, `broken` the first MAX_LISTED_BREAKS, `brokenStreams` how many in all. With
 * `sealKeys`, every event must lie inside a seal of one of them.
 */
export async function verifyStore(
  db: Queryable,
  schema: string,
  knownHeads: ReadonlyMap<string, KnownHead> = new Map(),
  sealKeys?: SealKeys,
  pageSize = 5000,
): Promise<VerifyReport> {
  let checked = 0;
  let stream: EventEnvelope[] = [];
  let streamSeals = new Map<number, EventSeal[]>();
  const seen = new Set<string>();
  const broken: BrokenLink[] = [];
  let brokenStreams = 0;
  const record = (report: VerifyReport) => {
    checked += report.checked;
    if (report.ok) return;
    brokenStreams++;
    if (broken.length < MAX_LISTED_BREAKS) broken.push(report.firstBroken!);
  };
  const finish = () => {
    if (stream.length === 0) return;
    const streamId = stream[0]!.streamId;
    seen.add(streamId);
    record(
      verifyStreamChain(
        streamId,
        stream,
        knownHeads.get(streamId),
        sealKeys && { keys: sealKeys, byVersion: streamSeals },
      ),
    );
    stream = [];
    streamSeals = new Map();
  };
  // Seals are read only when they are checked, all of an event's in one column.
  const seals = sealKeys
    ? `, (select json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature) order by s.key_id)
          from ${schema}.event_seals s where s.position = e.position) as seals
        from ${schema}.events e`
    : ` from ${schema}.events e`;
  let cursor: [string, number] = ['', 0];
  for (;;) {
    const page = await db.query<SealedRow>(
      `select ${EVENT_COLUMNS}${seals}
        where (stream_id, stream_version) > ($1, $2)
        order by stream_id, stream_version limit $3`,
      [cursor[0], cursor[1], pageSize],
    );
    for (const row of page.rows) {
      const event = toEnvelope(row);
      if (stream.length > 0 && stream[0]!.streamId !== event.streamId) finish();
      stream.push(event);
      if (row.seals) streamSeals.set(event.streamVersion, row.seals);
      cursor = [event.streamId, event.streamVersion];
    }
    if (page.rows.length < pageSize) break;
  }
  finish();
  for (const [streamId, head] of knownHeads)
    if (!seen.has(streamId)) record(verifyStreamChain(streamId, [], head));
  return brokenStreams === 0
    ? { ok: true, checked }
    : { ok: false, checked, firstBroken: broken[0], broken, brokenStreams };
}

/** Every stream's last stored version and its hash: heads to keep outside the database for later `verify`. */
export async function streamHeads(db: Queryable, schema: string): Promise<Map<string, KnownHead>> {
  const { rows } = await db.query<{ stream_id: string; stream_version: number; hash: string }>(
    `select distinct on (stream_id) stream_id, stream_version, hash from ${schema}.events
      order by stream_id, stream_version desc`,
  );
  return new Map(rows.map((r) => [r.stream_id, { streamVersion: r.stream_version, hash: r.hash }]));
}
