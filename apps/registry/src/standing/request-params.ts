import type { SchemaObject } from '@nestjs/swagger';
import { InvalidInputError } from '@nqpf/domain';

/**
 * An integer query parameter's bounds and default: what optionalInt enforces and what the read API documents
 * (intSchema), from the one value, which the read API's drift spec checks against the route's refusals.
 */
export interface IntRange {
  min: number;
  max: number;
  default?: number;
}

/** `year`, `unassessed` (assessment or calendar years). */
export const YEARS: IntRange = { min: 2000, max: 2100 };
/** `supportYear`: 1, 2, 3… */
export const SUPPORT_YEARS: IntRange = { min: 1, max: 99 };
/** A page of a list: `limit` 1–200 (default 50), `offset` from 0 (default 0). */
export const PAGE_LIMIT = { min: 1, max: 200, default: 50 } satisfies IntRange;
export const PAGE_OFFSET = { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 } satisfies IntRange;

/**
 * Query parameters read strictly: a bad value is the domain's 400 `invalid_input` naming the `field`, with the
 * rule it breaks in `message`.
 */
export function optionalInt(value: string | undefined, field: string, range: IntRange): number | undefined {
  if (value === undefined || value === '') return undefined;
  const { min, max } = range;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new InvalidInputError(field, `must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

/** An integer parameter as the read API documents it: type, bounds (no maximum past any real one), default. */
export function intSchema(range: IntRange): SchemaObject {
  return {
    type: 'integer',
    minimum: range.min,
    ...(range.max < Number.MAX_SAFE_INTEGER ? { maximum: range.max } : {}),
    ...(range.default === undefined ? {} : { default: range.default }),
  };
}

/** A date parameter (YYYY-MM-DD), and one of any text, as the read API documents them. */
export const DATE_SCHEMA: SchemaObject = { type: 'string', format: 'date' };
export const TEXT_SCHEMA: SchemaObject = { type: 'string' };

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

/** A page of a list: `limit` and `offset` as PAGE_LIMIT and PAGE_OFFSET bound them, with their defaults. */
export function pageParams(q: { limit?: string; offset?: string }): { limit: number; offset: number } {
  return {
    limit: optionalInt(q.limit, 'limit', PAGE_LIMIT) ?? PAGE_LIMIT.default,
    offset: optionalInt(q.offset, 'offset', PAGE_OFFSET) ?? PAGE_OFFSET.default,
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
