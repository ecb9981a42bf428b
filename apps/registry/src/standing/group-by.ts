import type { SchemaObject } from '@nestjs/swagger';
import { InvalidInputError } from '@nqpf/domain';

/** A summary groups by one key or by two (a district's centers per status): more is a spreadsheet's job. */
const MAX_KEYS = 2;

/**
 * `groupBy` of GET /standing/summary and /ledger/summary: one or two of `keys`, comma-separated, in the order
 * given (the groups are ordered by the first, then the second); absent or empty, `fallback`. Anything else is
 * a 400 naming `groupBy` and the keys it takes — a misspelt key must not read as "grouped by nothing".
 */
export function readGroupBy<K extends string>(
  value: string | undefined,
  keys: readonly K[],
  fallback: K,
): K[] {
  if (value === undefined || value === '') return [fallback];
  const given = value.split(',');
  const unknown = given.find((key) => !(keys as readonly string[]).includes(key));
  if (unknown !== undefined)
    throw new InvalidInputError(
      'groupBy',
      `one or two of ${keys.join(', ')}, comma-separated; "${unknown}" is not one`,
    );
  if (given.length > MAX_KEYS)
    throw new InvalidInputError('groupBy', `at most two of ${keys.join(', ')}; got ${given.length}`);
  const twice = given.find((key, i) => given.indexOf(key) !== i);
  if (twice !== undefined) throw new InvalidInputError('groupBy', `"${twice}" is given twice`);
  return given as K[];
}

/** `groupBy` as the read API documents it: text (comma-separated keys), the pattern it must match. */
export function groupBySchema(keys: readonly string[], fallback: string): SchemaObject {
  const key = `(${keys.join('|')})`;
  return { type: 'string', pattern: `^${key}(,${key})?$`, default: fallback };
}
