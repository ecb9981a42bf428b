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

/** The next offset to apply (stored as offset + 1), locking the row so concurrent writers queue up. */
export async function lockCheckpoint(
  tx: Queryable,
  schema: string,
  topic: string,
  partition: number,
): Promise<string> {
  // One round trip: the no-op update on conflict takes the row lock and returns the stored value.
  const { rows } = await tx.query(
    `insert into ${ident(schema)}._checkpoints as c (topic, partition, next_offset) values ($1, $2, 0)
     on conflict (topic, partition) do update set next_offset = c.next_offset
     returning next_offset::text as next`,
    [topic, partition],
  );
  return rows[0]!.next as string;
}

export async function storeCheckpoint(
  tx: Queryable,
  schema: string,
  at: { topic: string; partition: number; nextOffset: string; lastRecordedAt: string | null },
): Promise<void> {
  await tx.query(
    `update ${ident(schema)}._checkpoints
        set next_offset = $3, last_recorded_at = coalesce($4, last_recorded_at), updated_at = now()
      where topic = $1 and partition = $2`,
    [at.topic, at.partition, at.nextOffset, at.lastRecordedAt],
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
