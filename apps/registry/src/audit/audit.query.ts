import type { Actor } from '@nqpf/contracts';
import { scopeFilter, scopeToSql } from '@nqpf/auth';
import type { Queryable } from '@nqpf/event-store';
import { mergeByRecordedAt } from './merge-trail';
import type { StreamTrailEntry, TrailEntry } from './trail-entry';

export type TrailLine = Omit<TrailEntry, 'district'>;

/** A line of the centers' trails read city-wide: the center's district (its scope) beside it. */
export type CentersTrailLine = TrailLine & { district: string | null };

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

/**
 * One page of the centers' trails: lines of `types` recorded in the period, of centers in `district` (the
 * center's district now, as its own trail's scope), after the line `after` (its seq) in the order of
 * recorded time then seq.
 */
export interface CentersTrailPage extends TrailFilter {
  types: string[];
  district?: string;
  /** The seq of the previous page's last line (a bigint, as text). */
  after?: string;
  limit: number;
}

/** Every line the actor's scope allows (libs/auth scopeFilter on the center's district), one page. */
export async function centersTrail(
  db: Queryable,
  actor: Actor,
  page: CentersTrailPage,
): Promise<{ lines: CentersTrailLine[]; next: string | null }> {
  const params: unknown[] = [
    page.types,
    page.recordedFrom ?? null,
    page.recordedBefore ?? null,
    page.district ?? null,
    page.after ?? null,
    page.limit + 1,
  ];
  const scope = scopeToSql(scopeFilter(actor), { district: 'd.district', centerId: 't.center_id' }, 7);
  const { rows } = await db.query<TrailRow & { seq: string; district: string | null }>(
    `select t.seq, t.event_id, t.topic, t.center_id, t.type, t.stream_id, t.stream_version, t.occurred_at,
            t.recorded_at, t.actor, t.reason, t.payload, t.decisions, d.district
       from audit.trail t
       left join audit.center_districts d on d.center_id = t.center_id
      where t.type = any($1)
        and ($2::timestamptz is null or t.recorded_at >= $2)
        and ($3::timestamptz is null or t.recorded_at < $3)
        and ($4::text is null or d.district = $4)
        and ($5::bigint is null
             or (t.recorded_at, t.seq) > (select a.recorded_at, a.seq from audit.trail a where a.seq = $5))
        and (${scope.where})
      order by t.recorded_at, t.seq
      limit $6`,
    [...params, ...scope.params],
  );
  const shown = rows.slice(0, page.limit);
  return {
    lines: shown.map((r) => ({ ...lineOf(r), centerId: r.center_id, district: r.district })),
    // The seq of the page's last line, when a line follows it.
    next: rows.length > page.limit ? shown[shown.length - 1]!.seq : null,
  };
}

/** Whether a line has this seq (a cursor names one). */
export async function hasLine(db: Queryable, seq: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from audit.trail where seq = $1`, [seq]);
  return rows.length > 0;
}

/** Whether any line of the trail is of this type (one the registry's contracts do not know yet). */
export async function hasType(db: Queryable, type: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from audit.trail where type = $1 limit 1`, [type]);
  return rows.length > 0;
}
