import { InvalidInputError } from '@nqpf/domain';

/**
 * The audit routes' cursors: opaque to clients (base64url), each naming lines of audit.trail by their `seq`,
 * which never changes. A cursor is read only as the route wrote it (the same text written back from what it
 * says), and each seq must fit PostgreSQL's bigint: a cursor the route did not give is a 400 naming `cursor`
 * before any query (a seq past 2^63 − 1 used to reach PostgreSQL and come back a 400 without a field).
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

/** GET /audit/centers: the cursor after a line, by its seq (the page's last line). */
export function centersCursor(seq: string): string {
  return encode(`after:${seq}`);
}

/** The seq a GET /audit/centers cursor follows, or undefined without one; a cursor not of that form is a 400. */
export function readCentersCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const seq = /^after:(\d+)$/.exec(decode(cursor))?.[1];
  if (seq === undefined || !isSeq(seq) || centersCursor(seq) !== cursor) throw notAPosition();
  return seq;
}

/**
 * A position in one center's trail, whose order merges the topics (merge-trail.ts): per topic, the seq of
 * the last line shown from it. A topic with no line shown yet is not named, and starts from its first line.
 */
export type TrailPosition = ReadonlyMap<string, string>;

/** GET /audit/centers/:centerId: the cursor of a position (`after:intake=12,review=40`, topics in order). */
export function centerCursor(position: TrailPosition): string {
  const topics = [...position.keys()].sort();
  return encode(`after:${topics.map((topic) => `${topic}=${position.get(topic)}`).join(',')}`);
}

/** The position a GET /audit/centers/:centerId cursor names, or undefined without one; else a 400. */
export function readCenterCursor(cursor: string | undefined): TrailPosition | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const entries = /^after:(.+)$/.exec(decode(cursor))?.[1]?.split(',') ?? [];
  if (entries.length === 0 || entries.length > MAX_TOPICS) throw notAPosition();
  const position = new Map<string, string>();
  for (const entry of entries) {
    const [topic, seq, ...rest] = entry.split('=');
    if (rest.length > 0 || !topic || !TOPIC.test(topic) || !seq || !isSeq(seq) || position.has(topic))
      throw notAPosition();
    position.set(topic, seq);
  }
  if (centerCursor(position) !== cursor) throw notAPosition();
  return position;
}
