import type { Actor, NewEvent } from '@nqpf/contracts';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import type { AppendOptions } from './append-options';
import { PostgresEventStore, type EventStoreOptions } from './postgres-event-store';

/** Shared by this lib's integration tests: a migrated store in a database of its own. */
export async function createTestStore(
  options: EventStoreOptions = {},
): Promise<{ db: TestDatabase; store: PostgresEventStore }> {
  const db = await createTestDatabase('es');
  const store = new PostgresEventStore(db.pool, options);
  await store.migrate();
  return { db, store };
}

export const operator: Actor = { id: 'user-1', role: 'operator', district: null, centerId: 'center-1' };

export function meta(expectedVersion?: AppendOptions['expectedVersion']): AppendOptions {
  return { expectedVersion, actor: operator, correlationId: 'corr-1', centerId: 'center-1' };
}

export function events(n: number, type = 'ActivityRecorded'): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type, schemaVersion: 1, payload: { n: i } }));
}

/** Tampering as a superuser would do it: triggers off for this session only. */
export async function tamper(db: TestDatabase, sql: string, values: unknown[] = []): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('set session_replication_role = replica');
    await client.query(sql, values);
  } finally {
    await client.query('reset session_replication_role');
    client.release();
  }
}
