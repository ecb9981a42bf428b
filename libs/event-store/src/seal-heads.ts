import type { Queryable } from './queryable';
import type { EventSealer } from './seal';

/**
 * Seals every stream's last event that has no seal yet: once, for a store whose events were appended
 * before the service had a key (docs/audit.md, "Seals"). Only after a verify found the chains whole: the
 * seals vouch for the heads as they are. Returns how many heads it sealed.
 */
export async function sealUnsealedHeads(db: Queryable, schema: string, sealer: EventSealer): Promise<number> {
  const { rows } = await db.query<{ position: string; hash: string }>(
    `select h.position, h.hash
       from (select distinct on (stream_id) position, hash from ${schema}.events
              order by stream_id, stream_version desc) h
      where not exists (select 1 from ${schema}.event_seals s where s.position = h.position)`,
  );
  if (rows.length === 0) return 0;
  const seals = rows.map((r) => sealer.seal(r.hash));
  await db.query(
    `insert into ${schema}.event_seals (position, key_id, signature)
     select * from unnest($1::bigint[], $2::text[], $3::text[]) on conflict (position) do nothing`,
    [rows.map((r) => r.position), seals.map((s) => s.keyId), seals.map((s) => s.signature)],
  );
  return rows.length;
}
