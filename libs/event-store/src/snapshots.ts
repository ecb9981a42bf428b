import type { Queryable } from './queryable';

export interface Snapshot<S = unknown> {
  streamId: string;
  /** Which aggregate's state this is; a snapshot of another type is never loaded. */
  aggregateType: string;
  /** Version of the state's shape: bump it when evolve changes and old snapshots are ignored. */
  stateVersion: number;
  /** The last stream version folded into `state`. */
  streamVersion: number;
  state: S;
}

/** Keeps the latest snapshot per stream; an older one never replaces a newer one. */
export async function saveSnapshot(db: Queryable, schema: string, snapshot: Snapshot): Promise<void> {
  await db.query(
    `insert into ${schema}.snapshots (stream_id, aggregate_type, state_version, stream_version, state)
     values ($1, $2, $3, $4, $5::jsonb)
     on conflict (stream_id) do update set aggregate_type = excluded.aggregate_type,
       state_version = excluded.state_version, stream_version = excluded.stream_version,
       state = excluded.state, taken_at = now()
     where ${schema}.snapshots.stream_version <= excluded.stream_version
        or ${schema}.snapshots.state_version <> excluded.state_version`,
    [
      snapshot.streamId,
      snapshot.aggregateType,
      snapshot.stateVersion,
      snapshot.streamVersion,
      JSON.stringify(snapshot.state),
    ],
  );
}

export async function loadSnapshot<S>(
  db: Queryable,
  schema: string,
  streamId: string,
  aggregateType: string,
  stateVersion: number,
): Promise<Snapshot<S> | undefined> {
  const result = await db.query<{ stream_version: number; state: S }>(
    `select stream_version, state from ${schema}.snapshots
      where stream_id = $1 and aggregate_type = $2 and state_version = $3`,
    [streamId, aggregateType, stateVersion],
  );
  const row = result.rows[0];
  return (
    row && { streamId, aggregateType, stateVersion, streamVersion: row.stream_version, state: row.state }
  );
}
