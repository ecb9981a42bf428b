import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-row';
import type { Queryable } from './queryable';
import { readStreamRows } from './read-stream';
import { verifyStreamChain, type KnownHead, type VerifyReport } from './verify-chain';

export async function verifyStream(
  db: Queryable,
  schema: string,
  streamId: string,
  knownHead?: KnownHead,
): Promise<VerifyReport> {
  return verifyStreamChain(streamId, await readStreamRows(db, schema, streamId), knownHead);
}

/** Every stream, in stream id order, read in pages; stops at the first broken event. */
export async function verifyStore(
  db: Queryable,
  schema: string,
  knownHeads: ReadonlyMap<string, KnownHead> = new Map(),
  pageSize = 5000,
): Promise<VerifyReport> {
  let checked = 0;
  let stream: EventEnvelope[] = [];
  const seen = new Set<string>();
  const finish = (): VerifyReport | undefined => {
    if (stream.length === 0) return undefined;
    const streamId = stream[0]!.streamId;
    seen.add(streamId);
    const report = verifyStreamChain(streamId, stream, knownHeads.get(streamId));
    checked += report.checked;
    stream = [];
    return report.ok ? undefined : { ...report, checked };
  };
  let cursor: [string, number] = ['', 0];
  for (;;) {
    const page = await db.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${schema}.events
        where (stream_id, stream_version) > ($1, $2)
        order by stream_id, stream_version limit $3`,
      [cursor[0], cursor[1], pageSize],
    );
    for (const event of page.rows.map(toEnvelope)) {
      if (stream.length > 0 && stream[0]!.streamId !== event.streamId) {
        const broken = finish();
        if (broken) return broken;
      }
      stream.push(event);
      cursor = [event.streamId, event.streamVersion];
    }
    if (page.rows.length < pageSize) break;
  }
  const broken = finish();
  if (broken) return broken;
  for (const [streamId, head] of knownHeads) {
    if (!seen.has(streamId)) {
      const report = verifyStreamChain(streamId, [], head);
      if (!report.ok) return { ...report, checked };
    }
  }
  return { ok: true, checked };
}

/** Every stream's last stored version and its hash: heads to keep outside the database for later `verify`. */
export async function streamHeads(db: Queryable, schema: string): Promise<Map<string, KnownHead>> {
  const { rows } = await db.query<{ stream_id: string; stream_version: number; hash: string }>(
    `select distinct on (stream_id) stream_id, stream_version, hash from ${schema}.events
      order by stream_id, stream_version desc`,
  );
  return new Map(rows.map((r) => [r.stream_id, { streamVersion: r.stream_version, hash: r.hash }]));
}
