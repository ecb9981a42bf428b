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
