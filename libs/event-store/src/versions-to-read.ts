import { publishedVersionsOf } from '@nqpf/contracts';
import type { Queryable } from './queryable';

/**
 * For a start-up query that reads payload fields of one event type straight from a store (a service
 * restoring its deadline rows): the schema versions of `type` this build reads (those libs/contracts
 * publishes, the rule of knowsEvent), to bind as `schema_version = any($n::int[])`. The events of other
 * versions, a newer release's breaking change read after a rollback, are left to a newer replica and
 * counted in `log`: read as the version this build knows they would stop the start (a field now null) or
 * arm a wrong deadline, as the list rows' catch-up leaves such a stream.
 */
export async function versionsToRead(
  db: Queryable,
  eventStoreSchema: string,
  type: string,
  log: (line: string) => void,
): Promise<number[]> {
  const versions = publishedVersionsOf(type);
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from ${eventStoreSchema}.events where type = $1 and schema_version <> all($2::int[])`,
    [type, versions],
  );
  const left = rows[0]?.n ?? 0;
  if (left > 0)
    log(
      `${left} ${type} event${left === 1 ? '' : 's'} of a schema version this build does not know (it reads ${versions.join(', ')}) left to a newer replica`,
    );
  return versions;
}
