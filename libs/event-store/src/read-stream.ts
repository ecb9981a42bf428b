import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-row';
import type { Queryable } from './queryable';

export interface ReadStreamOptions {
  /** First stream version to return; default 1. */
  fromVersion?: number;
  /** Last stream version to return (a read agreeing with a state loaded at that version). */
  toVersion?: number;
  maxCount?: number;
  /** Only events of these stored types (a read of a few kinds in a long stream). */
  types?: readonly string[];
}

/** A stream's stored events in version order, exactly as stored (no upcasting). */
export async function readStreamRows(
  db: Queryable,
  schema: string,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<EventEnvelope[]> {
  const result = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from ${schema}.events
      where stream_id = $1 and stream_version >= $2 and stream_version <= coalesce($4, stream_version)
        and ($5::text[] is null or type = any($5::text[]))
      order by stream_version limit $3`,
    [
      streamId,
      options.fromVersion ?? 1,
      options.maxCount ?? null,
      options.toVersion ?? null,
      options.types ?? null,
    ],
  );
  return result.rows.map(toEnvelope);
}

export async function readStreamVersion(db: Queryable, schema: string, streamId: string): Promise<number> {
  const result = await db.query<{ version: number | null }>(
    `select max(stream_version) as version from ${schema}.events where stream_id = $1`,
    [streamId],
  );
  return result.rows[0]?.version ?? 0;
}
