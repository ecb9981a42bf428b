import { RuleInputError } from '../errors';

/** A calendar date in Asia/Shanghai as 'YYYY-MM-DD'. Arithmetic runs on UTC midnights: no time zone, no clock. */
export type LocalDate = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 instant with its zone (Z or ±hh:mm; a local time would be ambiguous) naming a real moment:
 * 2026-02-30 or 24:00 is refused, where Date.parse would roll it over into another day.
 */
export function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m || !isLocalDate(m[1])) return false;
  const [hour, minute, second, offsetHours, offsetMinutes] = [m[2], m[3], m[4], m[5], m[6]].map((v) =>
    Number(v ?? 0),
  );
  return hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 14 && offsetMinutes <= 59;
}

export function readLocalDate(value: unknown, field: string, ruleId?: string): LocalDate {
  if (!isLocalDate(value))
    throw new RuleInputError(field, `expected a date YYYY-MM-DD, got ${show(value)}`, ruleId);
  return value;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtc(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function fromUtc(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier): 0 on the same day. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtc(date)).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/**
 * Same day `years` later; where that month has no such day (29 Feb), the month's last day
 * (Civil Code art. 202).
 */
export function addYears(date: LocalDate, years: number): LocalDate {
  const y = yearOf(date) + years;
  const m = Number(date.slice(5, 7));
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The date in Asia/Shanghai (UTC+8 all year: no daylight saving) on which an instant falls: a clock's today. */
export function shanghaiToday(instant: Date): LocalDate {
  return fromUtc(instant.getTime() + SHANGHAI_OFFSET_MS);
}

/** The date in Asia/Shanghai on which an ISO instant (with offset) falls; a bare date is taken as it is. */
export function shanghaiDateOf(value: unknown, field: string, ruleId?: string): LocalDate {
  if (isLocalDate(value)) return value;
  if (isIsoInstant(value)) return fromUtc(Date.parse(value) + SHANGHAI_OFFSET_MS);
  throw new RuleInputError(
    field,
    `expected a date YYYY-MM-DD or an ISO instant with offset, got ${show(value)}`,
    ruleId,
  );
}

/** An instant as Asia/Shanghai wall time, 'YYYY-MM-DD HH:mm:ss', to read beside Shanghai dates. */
export function shanghaiWallTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant 00:00 Asia/Shanghai of the given date, as ISO with +08:00. */
export function startOfDayShanghai(date: LocalDate): string {
  return `${date}T00:00:00+08:00`;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
