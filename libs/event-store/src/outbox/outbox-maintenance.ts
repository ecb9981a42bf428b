import type { Queryable } from '../queryable';

export interface OutboxStatus {
  /** Highest position in the store (0 when empty). */
  lastPosition: string;
  /** Rows not yet acknowledged by Kafka, and the first of them. */
  unpublished: number;
  firstUnpublished: string | null;
  /** When the first unpublished event was recorded: how far Kafka is behind. */
  oldestUnpublishedAt: Date | null;
}

export async function outboxStatus(db: Queryable, schema = 'event_store'): Promise<OutboxStatus> {
  const { rows } = await db.query<{
    last_position: string | null;
    unpublished: string;
    first_unpublished: string | null;
    oldest: Date | null;
  }>(
    `select (select max(position) from ${schema}.events) as last_position,
            count(*) as unpublished, min(o.position) as first_unpublished, min(e.recorded_at) as oldest
       from ${schema}.outbox o join ${schema}.events e using (position)
      where o.published_at is null`,
  );
  const row = rows[0]!;
  return {
    lastPosition: row.last_position ?? '0',
    unpublished: Number(row.unpublished),
    firstUnpublished: row.first_unpublished,
    oldestUnpublishedAt: row.oldest,
  };
}

/**
 * Marks the outbox rows from `fromPosition` on as unpublished again, so the service's relay publishes them
 * once more, in position order: the store is the source of truth and refills a Kafka cluster that lost
 * them. Consumers drop what they already applied (inbox by event id, projections by stream version).
 * Returns how many rows were marked.
 */
export async function republishFrom(
  db: Queryable,
  fromPosition: bigint,
  schema = 'event_store',
): Promise<number> {
  const result = await db.query(
    `update ${schema}.outbox set published_at = null where position >= $1 and published_at is not null`,
    [fromPosition.toString()],
  );
  return result.rowCount ?? 0;
}
