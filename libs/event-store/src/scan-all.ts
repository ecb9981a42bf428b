import type { Pool } from 'pg';
import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-row';

/**
 * Every event committed when the scan starts, by position, in pages read from one snapshot (a
 * repeatable-read, read-only transaction): for audits and exports of a whole store. Unlike readAll it
 * waits for no running transaction anywhere on the server, and it is not a way to tail the store.
 */
export async function scanAllRows(
  pool: Pool,
  schema: string,
  onPage: (events: EventEnvelope[]) => Promise<void> | void,
  pageSize = 2000,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    let after = '0';
    for (;;) {
      const { rows } = await client.query<EventRow>(
        `select ${EVENT_COLUMNS} from ${schema}.events where position > $1::bigint order by position limit $2`,
        [after, pageSize],
      );
      if (rows.length > 0) await onPage(rows.map(toEnvelope));
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1]!.position;
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
