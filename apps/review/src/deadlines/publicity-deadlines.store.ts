import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope, PublicityStartedV1 } from '@nqpf/contracts';
import { ReviewEventTypes } from '@nqpf/contracts';
import { versionsToRead } from '@nqpf/event-store';
import { runDdl } from '@nqpf/messaging';

/**
 * Stored A9.3 publicity ends: one row per candidacy, written in the transaction that appends
 * publicity-started, so a deadline exists exactly when the publicity does.
 */
export async function migratePublicityDeadlines(pool: Pool): Promise<void> {
  await runDdl(
    pool,
    `
    create schema if not exists review;
    create table if not exists review.deadlines (
      candidacy_id text primary key,
      ends_at timestamptz not null,
      done_at timestamptz
    );
    -- Built once, where missing: even "if not exists" takes a share lock on the table, behind every write in
    -- flight (publicity-started appends, the timer's claims) and holding the next ones.
    do $$ begin
      if to_regclass('review.deadlines_pending') is null then
        create index deadlines_pending on review.deadlines (ends_at) where done_at is null;
      end if; end $$;
  `,
  );
}

export async function recordPublicityDeadlines(tx: PoolClient, events: EventEnvelope[]): Promise<void> {
  for (const e of events) {
    if (e.type !== ReviewEventTypes.PublicityStarted) continue;
    const p = e.payload as PublicityStartedV1;
    await tx.query(
      `insert into review.deadlines (candidacy_id, ends_at) values ($1, $2)
       on conflict (candidacy_id) do nothing`,
      [p.applicationId, p.endsAt],
    );
  }
}

/**
 * A deadline for every publicity-started event that has none: the row is written with the event, so a
 * store refilled from Kafka after a database restore has the events without their rows. A publicity that
 * ended another way refuses the end command when its deadline fires, which is then simply done. Events of
 * a schema version this build does not know are left to a newer replica, counted in `log` (versionsToRead).
 */
export async function restorePublicityDeadlines(
  pool: Pool,
  eventStoreSchema: string,
  log: (line: string) => void,
): Promise<number> {
  const store = await pool.query<{ events: string | null }>('select to_regclass($1) as events', [
    `${eventStoreSchema}.events`,
  ]);
  if (!store.rows[0]?.events) return 0;
  const type = ReviewEventTypes.PublicityStarted;
  const { rowCount } = await pool.query(
    `insert into review.deadlines (candidacy_id, ends_at)
     select e.payload->>'applicationId', (e.payload->>'endsAt')::timestamptz
       from ${eventStoreSchema}.events e where e.type = $1 and e.schema_version = any($2::int[])
     on conflict (candidacy_id) do nothing`,
    [type, await versionsToRead(pool, eventStoreSchema, type, log)],
  );
  return rowCount ?? 0;
}

/** Locks one due deadline (ends_at <= now), skipping rows another replica holds. */
export async function claimDueDeadline(
  tx: PoolClient,
  now: Date,
  excluding: readonly string[] = [],
): Promise<string | null> {
  const { rows } = await tx.query<{ candidacy_id: string }>(
    `select candidacy_id from review.deadlines
      where done_at is null and ends_at <= $1 and candidacy_id <> all($2::text[])
      order by ends_at, candidacy_id limit 1 for update skip locked`,
    [now, excluding],
  );
  return rows[0]?.candidacy_id ?? null;
}

export async function markDone(tx: PoolClient, candidacyId: string, at: Date): Promise<void> {
  await tx.query(`update review.deadlines set done_at = $2 where candidacy_id = $1`, [candidacyId, at]);
}
