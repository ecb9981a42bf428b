import type { EventEnvelope } from '@nqpf/contracts';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from './event-row';
import { EventStoreInputError } from './errors';
import type { Queryable } from './queryable';

export interface ReadAllOptions {
  /** The position of the last event already handled; '0' (default) reads from the start. */
  after?: string;
  /** Default 1000. */
  limit?: number;
}

/**
 * Events of the whole store in commit order (transaction id, then position), never skipping one that
 * commits late: only rows of transactions older than every transaction still running are returned, so
 * a row with a smaller position that is still uncommitted holds back everything written after it.
 * `after` is a position; its (transaction id, position) pair is the checkpoint, because positions alone
 * are not in commit order.
 */
export async function readAllRows(
  db: Queryable,
  schema: string,
  options: ReadAllOptions = {},
): Promise<EventEnvelope[]> {
  const after = options.after ?? '0';
  const checkpoint = after === '0' ? '0' : await transactionOf(db, schema, after);
  const result = await db.query<EventRow>(
    `select ${EVENT_COLUMNS} from ${schema}.events
      where transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        and (transaction_id, position) > ($1::xid8, $2::bigint)
      order by transaction_id, position
      limit $3`,
    [checkpoint, after, options.limit ?? 1000],
  );
  return result.rows.map(toEnvelope);
}

async function transactionOf(db: Queryable, schema: string, position: string): Promise<string> {
  if (!/^[1-9][0-9]{0,18}$/.test(position)) {
    throw new EventStoreInputError('after', 'must be a position: a decimal string');
  }
  const found = await db.query<{ transaction_id: string }>(
    `select transaction_id::text from ${schema}.events where position = $1::bigint`,
    [position],
  );
  if (!found.rows[0]) throw new EventStoreInputError('after', `no event has position ${position}`);
  return found.rows[0].transaction_id;
}
