import { createHash } from 'node:crypto';
import { InvalidInputError } from '@nqpf/domain';

/**
 * The audit routes' cursors: opaque to clients (base64url), each naming lines of audit.trail by their `seq`,
 * which never changes, and the filters of the page that gave it. A cursor is read only as the route wrote
 * it (the same text written back from what it says), and each seq must fit PostgreSQL's bigint: a cursor the
 * route did not give is a 400 naming `cursor` before any query (a seq past 2^63 − 1 used to reach PostgreSQL
 * and come back a 400 without a field). One given with other filters is a 400 too: the next page would skip
 * the lines the new filters take in before the position.
 */

/** The largest bigint: audit.trail's `seq`. */
const MAX_SEQ = 2n ** 63n - 1n;
const SEQ = /^[1-9]\d{0,18}$/;
/** The trail's topics (trail-entry.ts topicOf: a service's name, or `unknown`). */
const TOPIC = /^[a-z][a-z0-9_-]{0,62}$/;
/** Lines of a center come from a handful of topics (the services'); a cursor naming more is no position. */
const MAX_TOPICS = 32;

function isSeq(text: string): boolean {
  return SEQ.test(text) && BigInt(text) <= MAX_SEQ;
}

const encode = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const decode = (cursor: string): string => Buffer.from(cursor, 'base64url').toString('utf8');

export function notAPosition(): InvalidInputError {
  return new InvalidInputError('cursor', 'not a position this route gave: pass nextCursor back as it is');
}

/** What a page was asked for beside its position; dates as the trail filter reads them. */
export interface CursorFilter {
  types?: readonly string[];
  recordedFrom?: string;
  recordedBefore?: string;
  district?: string;
}

const FILTER_KEY = /^[A-Za-z0-9_-]{11}$/;

/** The filters in 11 characters (a set of types: their order and repeats do not count). */
export function filterKey(filter: CursorFilter): string {
  const text = JSON.stringify([
    [...new Set(filter.types ?? [])].sort(),
    filter.recordedFrom ?? null,
    filter.recordedBefore ?? null,
    filter.district ?? null,
  ]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 11);
}

/** Splits `after:<position>;for:<filter key>`, refusing another form or filters other than `key`. */
function positionText(cursor: string, key: string): string {
  const [, position, given] = /^after:([^;]+);for:(.+)$/.exec(decode(cursor)) ?? [];
  if (position === undefined || given === undefined || !FILTER_KEY.test(given)) throw notAPosition();
  if (given !== key)
    throw new InvalidInputError(
      'cursor',
      'given with other types, from, to or district than the page that gave it: ask with those, or start again without a cursor',
    );
  return position;
}

/** GET /audit/centers: the cursor after a line, by its seq (the page's last line), for these filters. */
export function centersCursor(seq: string, key: string): string {
  return encode(`after:${seq};for:${key}`);
}

/**
 * The seq a GET /audit/centers cursor follows, or undefined without one; a cursor not of that form, or of
 * other filters than `key`'s, is a 400.
 */
export function readCentersCursor(cursor: string | undefined, key: string): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const seq = positionText(cursor, key);
  if (!isSeq(seq) || centersCursor(seq, key) !== cursor) throw notAPosition();
  return seq;
}

/**
 * A position in one center's trail, whose order merges the topics (merge-trail.ts): per topic, the seq of
 * the last line shown from it. A topic with no line shown yet is not named, and starts from its first line.
 */
export type TrailPosition = ReadonlyMap<string, string>;

/**
 * GET /audit/centers/:centerId: the cursor of a position for these filters
 * (`after:intake=12,review=40;for:<key>`, topics in order).
 */
export function centerCursor(position: TrailPosition, key: string): string {
  const topics = [...position.keys()].sort();
  return encode(`after:${topics.map((topic) => `${topic}=${position.get(topic)}`).join(',')};for:${key}`);
}

/**
 * The position a GET /audit/centers/:centerId cursor names, or undefined without one; a cursor not of that
 * form, or of other filters than `key`'s, is a 400.
 */
export function readCenterCursor(cursor: string | undefined, key: string): TrailPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const entries = positionText(cursor, key).split(',');
  if (entries.length > MAX_TOPICS) throw notAPosition();
  const position = new Map<string, string>();
  for (const entry of entries) {
    const [topic, seq, ...rest] = entry.split('=');
    if (rest.length > 0 || !topic || !TOPIC.test(topic) || !seq || !isSeq(seq) || position.has(topic))
      throw notAPosition();
    position.set(topic, seq);
  }
  if (centerCursor(position, key) !== cursor) throw notAPosition();
  return position;
}
