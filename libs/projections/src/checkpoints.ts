import { ident, Queryable } from './projector';

/**
 * Checkpoints and applied stream versions live in the projection's own schema, so a rebuilt schema
 * carries its own and a swap moves model and positions together.
 */
export async function createRuntimeTables(db: Queryable, schema: string): Promise<void> {
  const s = ident(schema);
  await db.query(`create schema if not exists ${s}`);
  await db.query(
    `create table if not exists ${s}._checkpoints (
       topic text not null,
       partition integer not null,
       next_offset bigint not null,
       last_recorded_at timestamptz,
       updated_at timestamptz not null default now(),
       primary key (topic, partition)
     )`,
  );
  await db.query(
    `create table if not exists ${s}._stream_versions (stream_id text primary key, version integer not null)`,
  );
}

export interface OpenedBatch {
  /** The partition's next offset to apply (stored as offset + 1). */
  stored: string;
  /** Highest applied version of each asked-for stream that has one. */
  versions: Map<string, number>;
}

/**
 * Starts a live batch in one round trip: locks the partition's checkpoint row (created at 0 when new), so
 * writers of one partition queue, and reads the applied versions of these streams. Those come from the
 * statement's snapshot, taken before the lock was granted; if another transaction moved the checkpoint in
 * between (two members briefly owning a partition), they are read again now that the lock is held. Only a
 * writer of the same partition writes these streams' versions, and it always moves the checkpoint.
 */
export async function openBatch(
  tx: Queryable,
  schema: string,
  topic: string,
  partition: number,
  streamIds: string[],
): Promise<OpenedBatch> {
  const s = ident(schema);
  const versionsOf = (param: string) =>
    `select coalesce(jsonb_object_agg(stream_id, version), '{}') from ${s}._stream_versions
      where stream_id = any(${param})`;
  const { rows } = await tx.query<{ next: string; seen: string | null; versions: Record<string, number> }>(
    `with seen as (select next_offset from ${s}._checkpoints where topic = $1 and partition = $2),
          locked as (insert into ${s}._checkpoints as c (topic, partition, next_offset) values ($1, $2, 0)
                     on conflict (topic, partition) do update set next_offset = c.next_offset
                     returning next_offset)
     select (select next_offset::text from locked) as next, (select next_offset::text from seen) as seen,
            (${versionsOf('$3')}) as versions`,
    [topic, partition, streamIds],
  );
  const { next, seen } = rows[0]!;
  let versions = rows[0]!.versions;
  if (seen !== next) {
    const fresh = await tx.query<{ versions: Record<string, number> }>(
      `select (${versionsOf('$1')}) as versions`,
      [streamIds],
    );
    versions = fresh.rows[0]!.versions;
  }
  return { stored: next, versions: new Map(Object.entries(versions)) };
}

/** Ends a live batch in one statement: the versions it applied and the partition's new checkpoint. */
export async function closeBatch(
  tx: Queryable,
  schema: string,
  applied: Map<string, number>,
  at: { topic: string; partition: number; nextOffset: string; lastRecordedAt: string | null },
): Promise<void> {
  const s = ident(schema);
  await tx.query(
    `with versions as (
       insert into ${s}._stream_versions (stream_id, version) select * from unnest($5::text[], $6::int[])
       on conflict (stream_id) do update set version = excluded.version)
     update ${s}._checkpoints
        set next_offset = $3, last_recorded_at = coalesce($4, last_recorded_at), updated_at = now()
      where topic = $1 and partition = $2`,
    [at.topic, at.partition, at.nextOffset, at.lastRecordedAt, [...applied.keys()], [...applied.values()]],
  );
}

export async function readCheckpoints(
  db: Queryable,
  schema: string,
): Promise<{ topic: string; partition: number; nextOffset: string; lastRecordedAt: Date | null }[]> {
  const { rows } = await db.query(
    `select topic, partition, next_offset::text as next, last_recorded_at from ${ident(schema)}._checkpoints
      order by topic, partition`,
  );
  return rows.map((r) => ({
    topic: r.topic as string,
    partition: r.partition as number,
    nextOffset: r.next as string,
    lastRecordedAt: r.last_recorded_at as Date | null,
  }));
}
