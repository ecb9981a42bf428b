import { Pool } from 'pg';
import { PostgresEventStore } from '@nqpf/event-store';
import type { StoreLocation } from './service-databases';

/** Runs `work` on the event store at `location` and always closes the connection. */
export async function withStore<T>(
  location: StoreLocation,
  work: (store: PostgresEventStore) => Promise<T>,
): Promise<T> {
  const pool = new Pool({ connectionString: location.url, max: 2 });
  pool.on('error', () => undefined); // an idle client dropped; the query in hand reports it
  try {
    const { rows } = await pool.query<{ present: boolean }>(
      `select to_regclass('event_store.events') is not null as present`,
    );
    if (!rows[0]?.present) throw new Error('no event store here (table event_store.events is missing)');
    return await work(new PostgresEventStore(pool));
  } finally {
    await pool.end();
  }
}
