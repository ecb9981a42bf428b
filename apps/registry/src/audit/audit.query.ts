import type { Actor } from '@nqpf/contracts';
import { scopeFilter, scopeToSql } from '@nqpf/auth';
import type { Queryable } from '@nqpf/event-store';
import { mergedPage } from './merge-trail';
import type { TrailPosition } from './trail-cursor';
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

/**
 * One page of a center's trail (filtered), in the trail's order: per topic in the order received (`seq`),
 * topics merged by recorded-at (mergeByRecordedAt), after the position `after` (the previous page's), at
 * most `limit` lines.
 */
export interface CenterTrailPage extends TrailFilter {
  after?: TrailPosition;
  limit: number;
}

/**
 * A page of the center's trail, and the position after its last line when a line follows it: the merge of
 * each topic's next `limit` + 1 lines after the position (merge-trail.ts mergedPage). Read in two steps,
 * on `trail_by_center_topic` (center, topic, seq, with recorded-at and type beside them) and the primary
 * key: the seq, topic and recorded-at of each topic's next lines (from the index alone), then the page's
 * lines whole.
 */
export async function centerTrail(
  db: Queryable,
  centerId: string,
  page: CenterTrailPage,
): Promise<{ lines: TrailLine[]; next: TrailPosition | null }> {
  const after = [...(page.after ?? [])];
  // The center's topics by a skip scan of the index (one probe per topic), then each topic's next lines.
  const { rows: heads } = await db.query<{ seq: string; topic: string; recorded_at: Date }>(
    `with recursive topics (topic) as (
       select min(topic) from audit.trail where center_id = $1
       union all
       select (select min(t.topic) from audit.trail t where t.center_id = $1 and t.topic > topics.topic)
         from topics where topics.topic is not null)
     select k.seq, topics.topic, k.recorded_at
       from topics
       cross join lateral (
         select t.seq, t.recorded_at
           from audit.trail t
          where t.center_id = $1
            and t.topic = topics.topic
            and t.seq > coalesce(
                  (select a.seq from unnest($5::text[], $6::bigint[]) as a (topic, seq) where a.topic = topics.topic),
                  0)
            and ($2::text[] is null or t.type = any($2))
            and ($3::timestamptz is null or t.recorded_at >= $3)
            and ($4::timestamptz is null or t.recorded_at < $4)
          order by t.seq
          limit $7) k
      where topics.topic is not null
      order by topics.topic, k.seq`,
    [
      centerId,
      page.types ?? null,
      page.recordedFrom ?? null,
      page.recordedBefore ?? null,
      after.map(([topic]) => topic),
      after.map(([, seq]) => seq),
      page.limit + 1,
    ],
  );
  const { shown, next } = mergedPage(
    heads.map((h) => ({ seq: h.seq, topic: h.topic, recordedAt: h.recorded_at.toISOString() })),
    new Map(after),
    page.limit,
  );
  if (shown.length === 0) return { lines: [], next };
  const { rows } = await db.query<TrailRow & { seq: string }>(
    `select seq, event_id, topic, center_id, type, stream_id, stream_version, occurred_at, recorded_at, actor,
            reason, payload, decisions
       from audit.trail
      where seq = any($1::bigint[])`,
    [shown.map((line) => line.seq)],
  );
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const lines = shown.map(({ seq }) => {
    const r = bySeq.get(seq)!;
    return { ...lineOf(r), centerId: r.center_id };
  });
  return { lines, next };
}

/** Whether each topic's seq of a position is a line of this center from that topic (a cursor names one). */
export async function isTrailPosition(
  db: Queryable,
  centerId: string,
  position: TrailPosition,
): Promise<boolean> {
  const entries = [...position];
  const { rows } = await db.query<{ found: number }>(
    `select count(*)::int as found
       from unnest($2::text[], $3::bigint[]) as a (topic, seq)
       join audit.trail t on t.seq = a.seq and t.topic = a.topic and t.center_id = $1`,
    [centerId, entries.map(([topic]) => topic), entries.map(([, seq]) => seq)],
  );
  return rows[0]!.found === entries.length;
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

/**
 * Every line the actor's scope allows (libs/auth scopeFilter on the center's district), one page. Read as
 * one ordered walk of `trail_by_type` per distinct type, each stopping after the page's lines (the lateral
 * part), merged by recorded time then seq: PostgreSQL cannot read `type = any(...)` from that index in
 * (recorded_at, seq) order, so a single scan would read and sort every line of the types on every page.
 * Each part carries every condition (period, district, cursor, scope) so that its `limit` counts only lines
 * the page may show; `distinct` keeps a type named twice from showing its lines twice.
 */
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
            t.recorded_at, t.actor, t.reason, t.payload, t.decisions, t.district
       from (select distinct unnest($1::text[])) as ty (type)
       cross join lateral (
         select t.*, d.district
           from audit.trail t
           left join audit.center_districts d on d.center_id = t.center_id
          where t.type = ty.type
            and ($2::timestamptz is null or t.recorded_at >= $2)
            and ($3::timestamptz is null or t.recorded_at < $3)
            and ($4::text is null or d.district = $4)
            and ($5::bigint is null
                 or (t.recorded_at, t.seq) > (select a.recorded_at, a.seq from audit.trail a where a.seq = $5))
            and (${scope.where})
          order by t.recorded_at, t.seq
          limit $6) t
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
