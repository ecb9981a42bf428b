import type { Pool, PoolClient } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a PostgreSQL identifier we build SQL from (schema and table names are never user input). */
export function sqlIdentifier(name: string, field: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`${field}: must match ${IDENTIFIER.source}, got "${name}"`);
  return `"${name}"`;
}

/** Inbox table name for a consumer group: one table per consumer, in the consumer's own schema. */
export function inboxTableName(groupId: string): string {
  return `inbox_${groupId.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 63);
}

/**
 * Runs idempotent DDL under a transaction-scoped advisory lock: PostgreSQL's "create … if not exists" is
 * not safe against a concurrent twin (two group members starting at once).
 */
export async function withDdlLock(pool: Pool, ddl: (tx: PoolClient) => Promise<void>): Promise<void> {
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    await tx.query(`select pg_advisory_xact_lock(hashtext('nqpf.ddl'))`);
    await ddl(tx);
    await tx.query('commit');
  } catch (err) {
    await tx.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
}

/** One idempotent DDL script under the DDL lock: a service's start-up hooks run at the same time. */
export function runDdl(pool: Pool, sql: string): Promise<void> {
  return withDdlLock(pool, async (tx) => {
    await tx.query(sql);
  });
}

export class Inbox {
  private readonly table: string;

  constructor(schema: string, table: string) {
    this.table = `${sqlIdentifier(schema, 'inbox schema')}.${sqlIdentifier(table, 'inbox table')}`;
  }

  async ensure(pool: Pool, schema: string): Promise<void> {
    await withDdlLock(pool, async (tx) => {
      await tx.query(`create schema if not exists ${sqlIdentifier(schema, 'inbox schema')}`);
      await tx.query(
        `create table if not exists ${this.table} (
         event_id text primary key,
         event_type text not null,
         topic text not null,
         partition integer not null,
         "offset" bigint not null,
         handled_at timestamptz not null default now()
       )`,
      );
    });
  }

  /** Records the event inside the caller's transaction; false when it was handled before. */
  async claim(
    tx: PoolClient,
    eventId: string,
    eventType: string,
    at: { topic: string; partition: number; offset: string },
  ): Promise<boolean> {
    const result = await tx.query(
      `insert into ${this.table} (event_id, event_type, topic, partition, "offset")
       values ($1, $2, $3, $4, $5) on conflict (event_id) do nothing`,
      [eventId, eventType, at.topic, at.partition, at.offset],
    );
    return result.rowCount === 1;
  }
}
