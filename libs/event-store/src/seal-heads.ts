import type { Queryable } from './queryable';
import type { EventSeal, EventSealer, SealKeys } from './seal';
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

interface HeadRow {
  stream_id: string;
  stream_version: number;
  position: string;
  hash: string;
}

/**
 * Seals, once, the heads of the streams a store holds from before its service had a key (docs/audit.md,
 * "Seals"): only a head that is the one `knownHeads` has (version and hash; heads taken from the copies on
 * Kafka when the keys were rolled out, kept outside), and never one recorded after the store's first seal
 * or of a stream the service already sealed — the service seals all it appends once it has its key, so
 * those were added otherwise (or are an append published in part).
 */
export async function sealUnsealedHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  knownHeads: ReadonlyMap<string, KnownHead>,
): Promise<SealedHeads> {
  const { rows } = await db.query<HeadRow & { after_keys: boolean }>(
    `with heads as (${headsSql(schema)}),
     first_seal as (select min(position) as position from ${schema}.event_seals)
     select h.*, (first_seal.position is not null and h.position > first_seal.position)
              or exists (select 1 from ${schema}.event_seals s join ${schema}.events e using (position)
                          where e.stream_id = h.stream_id) as after_keys
       from heads h, first_seal
      where not exists (select 1 from ${schema}.event_seals s where s.position = h.position)`,
  );
  return sealWhere(db, schema, sealer, rows, (r) =>
    r.after_keys
      ? 'recorded after the service had its key, yet without its seal (added otherwise, or an append published in part)'
      : differsFrom(r, knownHeads),
  );
}

/**
 * Retires a key that must no longer be trusted (it leaked): every stream head it validly sealed
 * (`retired`: its public key) gets a seal of `sealer` beside it — only where the head is the one
 * `knownHeads` has (heads taken BEFORE the leak and kept outside: whoever holds the leaked key may have
 * added and published events since). The others are named. Verify without the retired key then passes on
 * the re-sealed heads.
 */
export async function resealHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  retired: SealKeys,
  knownHeads: ReadonlyMap<string, KnownHead>,
): Promise<ResealedHeads> {
  const { rows } = await db.query<HeadRow & { seals: EventSeal[]; links: (string | null)[] }>(
    `with heads as (${headsSql(schema)})
     select h.*, (select json_agg(json_build_object('keyId', s.key_id, 'signature', s.signature))
                    from ${schema}.event_seals s where s.position = h.position and s.key_id = any($1::text[])) as seals,
                 (select array_agg(e.previous_hash) from ${schema}.events e where e.stream_id = h.stream_id) as links
       from heads h
      where exists (select 1 from ${schema}.event_seals s where s.position = h.position and s.key_id = any($1::text[]))
        and not exists (select 1 from ${schema}.event_seals s where s.position = h.position and s.key_id = $2)`,
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
