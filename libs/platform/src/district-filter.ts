import { InvalidInputError } from '@nqpf/domain';
import type { Queryable } from '@nqpf/event-store';

/** The list tables a `district` filter reads: each service's own. */
export type DistrictListTable =
  | 'intake.applications'
  | 'review.candidacies'
  | 'standing.standing'
  | 'ledger.ledger_years'
  | 'audit.center_districts';

/**
 * A list's `district` filter (A3): a configured district-level unit (NQPF_DISTRICT_UNITS), or a district
 * some row of the list holds (a unit taken out of the configuration keeps its records findable). Anything
 * else is a misspelling: a 400 naming `district`, not an empty 200 that reads as "nothing there". Empty or
 * absent: no filter. Checked against the whole table, not the caller's scope: the units are reference
 * data, and a district office asking for another unit gets an empty answer as before.
 */
export async function readDistrictFilter(
  db: Queryable,
  value: string | undefined,
  units: readonly string[],
  table: DistrictListTable,
): Promise<string | undefined> {
  if (value === undefined || value === '') return undefined;
  if (units.includes(value)) return value;
  const { rows } = await db.query(`select 1 from ${table} where district = $1 limit 1`, [value]);
  if (rows.length > 0) return value;
  throw new InvalidInputError(
    'district',
    `"${value}" is neither a district-level unit (A3; NQPF_DISTRICT_UNITS: ${units.join(', ')}) nor the district of anything listed here`,
  );
}
