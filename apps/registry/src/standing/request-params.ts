import { InvalidInputError } from '@nqpf/domain';

/**
 * Query parameters read strictly: a bad value is the domain's 400 `invalid_input` naming the `field`, with the
 * rule it breaks in `message`.
 */
export function optionalInt(
  value: string | undefined,
  field: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new InvalidInputError(field, `must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

export function optionalOneOf<T extends string>(
  value: string | undefined,
  field: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new InvalidInputError(field, `must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

/** The `sort` values for these keys: each key ascending, or with a leading `-` descending. */
export function sortValues(keys: readonly string[]): string[] {
  return keys.flatMap((k) => [k, `-${k}`]);
}

export function optionalSort<K extends string>(
  value: string | undefined,
  keys: readonly K[],
): { key: K; descending: boolean } | undefined {
  const sort = optionalOneOf(value, 'sort', sortValues(keys));
  if (!sort) return undefined;
  const descending = sort.startsWith('-');
  return { key: (descending ? sort.slice(1) : sort) as K, descending };
}

/** A page of a list: `limit` 1–200 (default 50), `offset` from 0 (default 0). */
export function pageParams(q: { limit?: string; offset?: string }): { limit: number; offset: number } {
  return {
    limit: optionalInt(q.limit, 'limit', 1, 200) ?? 50,
    offset: optionalInt(q.offset, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
  };
}

/**
 * strictQuery's refusal of a parameter the route does not take (a 400 `invalid_input` like any other); it
 * carries what the route takes, which the read API's drift spec compares with the documented parameters.
 */
export class NotAParameterError extends InvalidInputError {
  constructor(
    field: string,
    readonly accepted: readonly string[],
  ) {
    super(field, `not a parameter of this route; it takes ${accepted.join(', ') || 'none'}`);
  }
}

/**
 * The query string of a route that takes `allowed`: a parameter it does not take (a typo would otherwise
 * widen an export or turn a verify-only rebuild into a swap) or one given twice is a 400 naming it.
 */
export function strictQuery<K extends string>(
  query: Record<string, unknown>,
  allowed: readonly K[],
): Partial<Record<K, string>> {
  for (const [key, value] of Object.entries(query)) {
    if (!(allowed as readonly string[]).includes(key)) throw new NotAParameterError(key, allowed);
    if (typeof value !== 'string') throw new InvalidInputError(key, 'give it once, as plain text');
  }
  return query as Partial<Record<K, string>>;
}

/** An export holds every matching row or refuses: a file cut short without a word would pass for whole. */
export function exportable(total: number, limit: number): void {
  if (total > limit)
    throw new InvalidInputError(
      'filters',
      `${total} rows match, more than the ${limit} an export holds; narrow them (district, year, …)`,
    );
}
