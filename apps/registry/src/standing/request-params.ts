import { BadRequestException } from '@nestjs/common';

/** Query parameters read strictly: a bad value is a 400 naming the field and the rule. */
export function optionalInt(
  value: string | undefined,
  field: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new BadRequestException(`${field}: must be an integer from ${min} to ${max}, got "${value}"`);
  return Number(value);
}

export function optionalOneOf<T extends string>(
  value: string | undefined,
  field: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw new BadRequestException(`${field}: must be one of ${allowed.join(', ')}, got "${value}"`);
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
