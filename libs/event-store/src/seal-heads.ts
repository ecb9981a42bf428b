import { storedHashes } from './outbox/refill';
import type { Queryable } from './queryable';
import { SealKeys, type EventSeal, type EventSealer } from './seal';
import type { KnownHead } from './verify-chain';

/** Heads a (re-)sealing left alone, and why: each one to investigate. */
export type RefusedHeads = { streamId: string; streamVersion: number; detail: string }[];

export interface SealedHeads {
  /** Heads sealed now. */
  sealed: number;
  refused: RefusedHeads;
}

export interface ResealedHeads {
  resealed: number;
  refused: RefusedHeads;
}

/** The first seal of the sealing key after an event in its stream: the event's hash and the signature. */
interface NextSeal {
  hash: string;
  signature: string;
}

interface HeadRow {
  stream_id: string;
  stream_version: number;
  position: string;
  hash: string;
}

/**
 * Seals, once, what the streams of a store hold from before its service had a key (docs/audit.md,
 * "Seals"): each stream's last event positioned before the store's first seal — its head then, whether or
 * not the service appended to it since — gets a seal over the whole stream up to it, only where it is the
 * head `knownHeads` has (version and hash; heads taken from the copies on Kafka when the keys were rolled
 * out, kept outside). A head recorded after the store's first seal without a seal is named, never sealed:
 * the service seals all it appends once it has its key, so it was added otherwise (or is an append
 * published in part).
 */
export async function sealUnsealedHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  knownHeads: ReadonlyMap<string, KnownHead>,
): Promise<SealedHeads> {
  const unsealed = (alias: string) =>
    `not exists (select 1 from ${schema}.event_seals s where s.position = ${alias}.position)`;
  const { rows: candidates } = await db.query<HeadRow & { after_keys: boolean; next: NextSeal | null }>(
    `with first_seal as (select min(position) as position from ${schema}.event_seals),
     before_keys as (select distinct on (e.stream_id) e.stream_id, e.stream_version, e.position, e.hash
                       from ${schema}.events e, first_seal f
                      where f.position is null or e.position < f.position
                      order by e.stream_id, e.stream_version desc)
     select b.*, false as after_keys,
            (select json_build_object('hash', n.hash, 'signature', s.signature)
               from ${schema}.events n join ${schema}.event_seals s using (position)
              where n.stream_id = b.stream_id and n.stream_version > b.stream_version and s.key_id = $1
              order by n.stream_version limit 1) as next
       from before_keys b where ${unsealed('b')}
     union all
     select h.*, true, null from (${headsSql(schema)}) h, first_seal f
      where h.position > f.position and ${unsealed('h')}`,
    [sealer.keyId],
  );
  // A stream this sealed before (a second run: the store's first seal is then one of those) is whole.
  const own = SealKeys.fromPem(sealer.publicPem);
  const rows = await headsBeforeKey(
    db,
    schema,
    { keys: own, keyId: sealer.keyId },
    candidates.filter(
      (r) => !r.next || own.check([{ keyId: sealer.keyId, signature: r.next.signature }], r.next.hash, null),
    ),
  );
  // Heads taken once the service ran again may be later than the head before the key: the store must hold
  // that later head, and the chain then ties the earlier one to it.
  const later = rows.flatMap((r) => {
    const known = knownHeads.get(r.stream_id);
    return known && known.streamVersion > r.stream_version
      ? [{ streamId: r.stream_id, streamVersion: known.streamVersion }]
      : [];
  });
  const stored = await storedHashes(db, schema, later);
  return sealWhere(db, schema, sealer, rows, (r) => {
    if (r.after_keys)
      return 'recorded after the service had its key, yet without its seal (added otherwise, or an append published in part)';
    const known = knownHeads.get(r.stream_id);
    if (!known || known.streamVersion <= r.stream_version) return differsFrom(r, knownHeads);
    return stored.get(`${r.stream_id}@${known.streamVersion}`) === known.hash
      ? null
      : `the store differs from the heads file at version ${known.streamVersion}`;
  });
}

/**
 * The head from before the key is where the service's first keyed seal in the stream starts: the store's
 * first seal lies on the last event of the first keyed append, so an append of several events has its
 * first ones positioned before it — they are the service's, not the stream's head from before the key.
 * A candidate the next seal does not start from is replaced by the earlier event it does start from.
 */
async function headsBeforeKey<R extends HeadRow & { next: NextSeal | null }>(
  db: Queryable,
  schema: string,
  own: { keys: SealKeys; keyId: string },
  candidates: R[],
): Promise<R[]> {
  const startsAt = (r: R, from: string) =>
    own.keys.check([{ keyId: own.keyId, signature: r.next!.signature }], r.next!.hash, from) === undefined;
  return Promise.all(
    candidates.map(async (r) => {
      if (!r.next || startsAt(r, r.hash)) return r;
      const { rows } = await db.query<HeadRow>(
        `select stream_id, stream_version, position::text as position, hash from ${schema}.events
          where stream_id = $1 and stream_version < $2 order by stream_version desc`,
        [r.stream_id, r.stream_version],
      );
      const start = rows.find((e) => startsAt(r, e.hash));
      return start ? { ...r, ...start } : r;
    }),
  );
}

/**
 * Retires a key that must no longer be trusted (it leaked): in each stream, the last event it validly
 * sealed (`retired`: its public key) gets a seal of `sealer` beside it, over the whole stream up to it —
 * only where that event is the head `knownHeads` has (heads taken BEFORE the leak and kept outside:
 * whoever holds the leaked key may have added and published events since), whether or not the service
 * appended after it with its new key. The others are named. Verify without the retired key then passes.
 */
export async function resealHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  retired: SealKeys,
  knownHeads: ReadonlyMap<string, KnownHead>,
): Promise<ResealedHeads> {
  const { rows } = await db.query<HeadRow & { seals: EventSeal[]; links: (string | null)[] }>(
    `with last_retired as (
       select distinct on (e.stream_id) e.stream_id, e.stream_version, e.position, e.hash
         from ${schema}.events e join ${schema}.event_seals s using (position)
        where s.key_id = any($1::text[])
        order by e.stream_id, e.stream_version desc)
     select r.*, (select json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature))
                    from ${schema}.event_seals s where s.position = r.position and s.key_id = any($1::text[])) as seals,
                 (select array_agg(e.previous_hash) from ${schema}.events e
                   where e.stream_id = r.stream_id and e.stream_version <= r.stream_version) as links
       from last_retired r
      where not exists (select 1 from ${schema}.event_seals s where s.position = r.position and s.key_id = $2)`,
    [retired.ids, sealer.keyId],
  );
  const { sealed, refused } = await sealWhere(db, schema, sealer, rows, (r) => {
    // The retired seal signed its append's range, which starts at one of the stream's links.
    const problems = r.links.map((from) => retired.check(r.seals, r.hash, from));
    return problems.includes(undefined)
      ? differsFrom(r, knownHeads)
      : `its seal of the retired key: ${problems[0]!.detail}`;
  });
  return { resealed: sealed, refused };
}

/** Seals with `sealer` the heads `problemOf` finds nothing against; the others are refused with why. */
async function sealWhere<R extends HeadRow>(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  heads: R[],
  problemOf: (head: R) => string | null,
): Promise<SealedHeads> {
  const refused: RefusedHeads = [];
  const toSeal = heads.filter((r) => {
    const detail = problemOf(r);
    if (detail) refused.push({ streamId: r.stream_id, streamVersion: r.stream_version, detail });
    return detail === null;
  });
  await insertSeals(
    db,
    schema,
    // Each vouches for its whole stream, as the heads file does.
    toSeal.map((r) => ({ position: r.position, seal: sealer.seal(null, r.hash) })),
  );
  return { sealed: toSeal.length, refused };
}

/** Why a head is not the one the heads file has; null when it is. */
function differsFrom(head: HeadRow, knownHeads: ReadonlyMap<string, KnownHead>): string | null {
  const known = knownHeads.get(head.stream_id);
  if (!known) return 'not in the heads file';
  if (known.streamVersion !== head.stream_version) return `the heads file has version ${known.streamVersion}`;
  if (known.hash !== head.hash) return 'its hash differs from the heads file';
  return null;
}

/** Stores seals beside their events; a seal of a key the event already carries is kept as it was. */
export async function insertSeals(
  db: Queryable,
  schema: string,
  seals: { position: string; seal: EventSeal }[],
): Promise<void> {
  if (seals.length === 0) return;
  await db.query(
    `insert into ${schema}.event_seals (position, key_id, signature)
     select * from unnest($1::bigint[], $2::text[], $3::text[]) on conflict do nothing`,
    [seals.map((s) => s.position), seals.map((s) => s.seal.keyId), seals.map((s) => s.seal.signature)],
  );
}

/** Every stream's last event. */
const headsSql = (schema: string) =>
  `select distinct on (stream_id) stream_id, stream_version, position, hash from ${schema}.events
    order by stream_id, stream_version desc`;
