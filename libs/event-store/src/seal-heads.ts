import type { Queryable } from './queryable';
import type { EventSeal, EventSealer } from './seal';
import type { KnownHead } from './verify-chain';

export interface SealedHeads {
  /** Heads sealed now. */
  sealed: number;
  /**
   * Unsealed heads it would not seal: of a stream the service already sealed, or recorded after the store's
   * first seal. The service seals everything it appends once it has a key, so these were added otherwise
   * (or are an append published in part): sealing them would vouch for what seals exist to catch.
   */
  refused: { streamId: string; streamVersion: number }[];
}

/**
 * Seals, once, the heads of the streams a store holds from before its service had a key (docs/audit.md,
 * "Seals"). Only after a verify found the chains whole: the seals vouch for the heads as they are.
 */
export async function sealUnsealedHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
): Promise<SealedHeads> {
  const { rows } = await db.query<{
    position: string;
    hash: string;
    stream_id: string;
    stream_version: number;
    before_keys: boolean;
  }>(
    `with heads as (${headsSql(schema)}),
     first_seal as (select min(position) as position from ${schema}.event_seals)
     select h.stream_id, h.stream_version, h.position, h.hash,
            (first_seal.position is null or h.position < first_seal.position)
              and not exists (select 1 from ${schema}.event_seals s join ${schema}.events e using (position)
                               where e.stream_id = h.stream_id) as before_keys
       from heads h, first_seal
      where not exists (select 1 from ${schema}.event_seals s where s.position = h.position)`,
  );
  const toSeal = rows.filter((r) => r.before_keys);
  await insertSeals(
    db,
    schema,
    toSeal.map((r) => ({ position: r.position, seal: sealer.seal(r.hash) })),
  );
  return {
    sealed: toSeal.length,
    refused: rows
      .filter((r) => !r.before_keys)
      .map((r) => ({ streamId: r.stream_id, streamVersion: r.stream_version })),
  };
}

export interface ResealedHeads {
  resealed: number;
  /** Heads sealed by the retired key that were not re-sealed, and why. */
  refused: { streamId: string; streamVersion: number; detail: string }[];
}

/**
 * Retires a key that must no longer be trusted (it leaked): every stream head it sealed gets a seal of
 * `sealer` beside it — only where the head is the one `knownHeads` has (version and hash; heads taken from
 * the copies on Kafka, a second system the key alone cannot change). The others are named. Verify without
 * the retired key then passes on the re-sealed heads.
 */
export async function resealHeads(
  db: Queryable,
  schema: string,
  sealer: EventSealer,
  retiredKeyId: string,
  knownHeads: ReadonlyMap<string, KnownHead>,
): Promise<ResealedHeads> {
  const { rows } = await db.query<{
    stream_id: string;
    stream_version: number;
    position: string;
    hash: string;
  }>(
    `with heads as (${headsSql(schema)})
     select h.* from heads h
      where exists (select 1 from ${schema}.event_seals s where s.position = h.position and s.key_id = $1)
        and not exists (select 1 from ${schema}.event_seals s where s.position = h.position and s.key_id = $2)`,
    [retiredKeyId, sealer.keyId],
  );
  const refused: ResealedHeads['refused'] = [];
  const toSeal = rows.filter((r) => {
    const known = knownHeads.get(r.stream_id);
    const detail = !known
      ? 'not in the heads file'
      : known.streamVersion !== r.stream_version
        ? `the heads file has version ${known.streamVersion}`
        : known.hash !== r.hash
          ? 'its hash differs from the heads file'
          : null;
    if (detail) refused.push({ streamId: r.stream_id, streamVersion: r.stream_version, detail });
    return detail === null;
  });
  await insertSeals(
    db,
    schema,
    toSeal.map((r) => ({ position: r.position, seal: sealer.seal(r.hash) })),
  );
  return { resealed: toSeal.length, refused };
}

/** Every stream's last event. */
const headsSql = (schema: string) =>
  `select distinct on (stream_id) stream_id, stream_version, position, hash from ${schema}.events
    order by stream_id, stream_version desc`;

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
