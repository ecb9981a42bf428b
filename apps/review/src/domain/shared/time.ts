import { InvalidInputError } from '@nqpf/domain';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Asia/Shanghai has kept +08:00 all year since 1991; no daylight saving to follow. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** An ISO 8601 instant with an explicit offset (a bare local time would be ambiguous). */
export function assertInstant(field: string, value: unknown): string {
  const valid = typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
  if (!valid)
    throw new InvalidInputError(field, `must be an ISO 8601 instant with offset, got '${String(value)}'`);
  return value;
}

export function assertDate(field: string, value: unknown): string {
  const valid =
    typeof value === 'string' &&
    ISO_DATE.test(value) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  if (!valid)
    throw new InvalidInputError(field, `must be a calendar date YYYY-MM-DD, got '${String(value)}'`);
  return value;
}

/** The calendar date in Asia/Shanghai on which an instant falls. */
export function shanghaiDate(instant: string): string {
  return new Date(Date.parse(instant) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Instants compared as moments, whatever their offsets. */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
