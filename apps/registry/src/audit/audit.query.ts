import type { Queryable } from '@nqpf/event-store';
import { mergeByRecordedAt } from './merge-trail';
import type { StreamTrailEntry, TrailEntry } from './trail-entry';

export type TrailLine = Omit<TrailEntry, 'district'>;

interface TrailRow {
  event_id: string;
  topic: string;
  center_id: string;
  type: string;
  stream_id: string;
  stream_version: number;
  occurred_at: Date;
  recorded_at: Date;
  actor: TrailEntry['actor'];
  reason: string | null;
  payload: TrailEntry['payload'];
  decisions: TrailEntry['decisions'];
}

export async function centerDistrict(db: Queryable, centerId: string): Promise<string | null> {
  const { rows } = await db.query<{ district: string }>(
    `select district from audit.center_districts where center_id = $1`,
    [centerId],
  );
  return rows[0]?.district ?? null;
}

/** Narrows a trail: some event types, recorded from one instant (inclusive) to another (exclusive). */
export interface TrailFilter {
  types?: string[];
  recordedFrom?: string;
  recordedBefore?: string;
}

/** Whether the center has any event in the trail (before any filter). */
export async function hasTrail(db: Queryable, centerId: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from audit.trail where center_id = $1 limit 1`, [centerId]);
  return rows.length > 0;
}

/** The center's events (filtered): per topic in the order received, topics merged by recorded-at. */
export async function centerTrail(
  db: Queryable,
  centerId: string,
  filter: TrailFilter = {},
): Promise<TrailLine[]> {
  const { rows } = await db.query<TrailRow>(
    `select event_id, topic, center_id, type, stream_id, stream_version, occurred_at, recorded_at, actor,
            reason, payload, decisions
       from audit.trail
      where center_id = $1
        and ($2::text[] is null or type = any($2))
        and ($3::timestamptz is null or recorded_at >= $3)
        and ($4::timestamptz is null or recorded_at < $4)
      order by seq`,
    [centerId, filter.types ?? null, filter.recordedFrom ?? null, filter.recordedBefore ?? null],
  );
  return mergeByRecordedAt(rows.map((r) => ({ ...lineOf(r), centerId: r.center_id })));
}

function lineOf(r: Omit<TrailRow, 'center_id'>): StreamTrailEntry {
  return {
    eventId: r.event_id,
    topic: r.topic,
    type: r.type,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    actor: r.actor,
    reason: r.reason,
    payload: r.payload,
    decisions: r.decisions,
  };
}

/** Events about no center (calls, experts, the policy book) of the given types, by recorded time. */
export async function streamTrail(
  db: Queryable,
  filter: TrailFilter & { types: string[] },
): Promise<StreamTrailEntry[]> {
  const { rows } = await db.query<Omit<TrailRow, 'center_id'>>(
    `select event_id, topic, type, stream_id, stream_version, occurred_at, recorded_at, actor, reason, payload,
            decisions
       from audit.stream_trail
      where type = any($1)
        and ($2::timestamptz is null or recorded_at >= $2)
        and ($3::timestamptz is null or recorded_at < $3)
      order by recorded_at, seq`,
    [filter.types, filter.recordedFrom ?? null, filter.recordedBefore ?? null],
  );
  return rows.map(lineOf);
}
