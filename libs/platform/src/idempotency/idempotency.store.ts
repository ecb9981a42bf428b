import type { Pool, PoolClient } from 'pg';
import { runDdl } from '@nqpf/messaging';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/** Responses of commands sent with an Idempotency-Key, per actor; written in the command's transaction. */
export class IdempotencyStore {
  constructor(private readonly schema = 'idempotency') {}

  /** Under the shared DDL lock: replicas starting together on a new database would race on the catalog. */
  async migrate(pool: Pool): Promise<void> {
    await runDdl(
      pool,
      `create schema if not exists ${this.schema};
       create table if not exists ${this.schema}.responses (
         actor_id text not null,
         key text not null,
         request_hash text not null,
         status int not null,
         body jsonb,
         recorded_at timestamptz not null default now(),
         primary key (actor_id, key));
       -- Built once, where missing: even "if not exists" takes a share lock on the table, behind every
       -- command in flight that records a response, and holding the next ones.
       do $$ begin
         if to_regclass('${this.schema}.responses_by_recorded_at') is null then
           create index responses_by_recorded_at on ${this.schema}.responses (recorded_at);
         end if; end $$;`,
    );
  }

  async find(db: Pool | PoolClient, actorId: string, key: string): Promise<StoredResponse | undefined> {
    const { rows } = await db.query<{ request_hash: string; status: number; body: unknown }>(
      `select request_hash, status, body from ${this.schema}.responses where actor_id = $1 and key = $2`,
      [actorId, key],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, status: row.status, body: row.body };
  }

  /**
   * Forgets the answers recorded more than `retentionHours` ago, in batches (a retry after that runs the
   * command again). Replicas may prune at the same time: a row is deleted once either way.
   */
  async prune(pool: Pool, retentionHours: number, batchSize = 5000): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await pool.query(
        `delete from ${this.schema}.responses where ctid in (
           select ctid from ${this.schema}.responses
            where recorded_at < now() - make_interval(hours => $1) limit $2)`,
        [retentionHours, batchSize],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return deleted;
    }
  }

  /** Fails with a unique violation (23505) when a concurrent request with the same key committed first. */
  async save(tx: PoolClient, actorId: string, key: string, response: StoredResponse): Promise<void> {
    await tx.query(
      `insert into ${this.schema}.responses (actor_id, key, request_hash, status, body) values ($1, $2, $3, $4, $5)`,
      [actorId, key, response.requestHash, response.status, JSON.stringify(response.body ?? null)],
    );
  }
}
