import { InvalidInputError, quotedInput } from '@nqpf/domain';
import { isReportOwedAtEnd, quarterEnd, reportPeriodOfKey } from '@nqpf/rules';
import type { ReportKindV1 } from '@nqpf/contracts';

/** A reporting period: a calendar quarter (A14, key 'YYYY-Qn') or a calendar year (A15, key 'YYYY'). */
export interface ReportPeriod {
  kind: ReportKindV1;
  year: number;
  quarter: number | null;
  key: string;
  end: string;
}

export function quarterPeriod(year: number, quarter: number): ReportPeriod {
  return { kind: 'quarterly', year, quarter, key: `${year}-Q${quarter}`, end: quarterEnd(year, quarter) };
}

export function yearPeriod(year: number): ReportPeriod {
  return { kind: 'annual', year, quarter: null, key: `${year}`, end: `${year}-12-31` };
}

/** Reads a period from a command; names the bad field. */
export function readPeriod(kind: unknown, year: unknown, quarter: unknown): ReportPeriod {
  if (kind !== 'quarterly' && kind !== 'annual')
    throw new InvalidInputError('kind', `must be quarterly or annual, got '${quotedInput(kind)}'`);
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2100)
    throw new InvalidInputError('year', 'must be a year between 2000 and 2100');
  if (kind === 'annual') {
    if (quarter !== undefined && quarter !== null)
      throw new InvalidInputError('quarter', 'must be absent for an annual report');
    return yearPeriod(year);
  }
  if (quarter !== 1 && quarter !== 2 && quarter !== 3 && quarter !== 4)
    throw new InvalidInputError('quarter', 'must be 1, 2, 3 or 4 for a quarterly report');
  return quarterPeriod(year, quarter);
}

/** The period a key names ('YYYY-Qn' or 'YYYY'), null for anything else. */
function parsePeriodKey(key: string): ReportPeriod | null {
  const period = reportPeriodOfKey(key);
  if (!period) return null;
  return period.quarter === null ? yearPeriod(period.year) : quarterPeriod(period.year, period.quarter);
}

export function periodFromKey(key: string): ReportPeriod {
  const period = parsePeriodKey(key);
  if (!period)
    throw new InvalidInputError('period', `must be 'YYYY-Qn' or 'YYYY', got '${quotedInput(key)}'`);
  return period;
}

/**
 * Reads a report named as GET …/obligations lists it, by `kind` and `period` key ('2026-Q2' quarterly,
 * '2026' annual); names the bad field. Whether the center owes or filed it is the caller's to find.
 */
export function readReportKey(kind: unknown, key: unknown): ReportPeriod {
  if (kind !== 'quarterly' && kind !== 'annual')
    throw new InvalidInputError(
      'kind',
      `must be quarterly (A14) or annual (A15), got '${quotedInput(kind)}'`,
    );
  const period = typeof key === 'string' ? parsePeriodKey(key) : null;
  if (period?.kind !== kind)
    throw new InvalidInputError(
      'period',
      kind === 'quarterly'
        ? `a quarterly report's period is a calendar quarter 'YYYY-Qn', n 1–4 (A14), got '${quotedInput(key)}'`
        : `an annual report's period is a calendar year 'YYYY' (A15), got '${quotedInput(key)}'`,
    );
  return period;
}

export function nextPeriod(period: ReportPeriod): ReportPeriod {
  if (period.kind === 'annual') return yearPeriod(period.year + 1);
  return period.quarter === 4
    ? quarterPeriod(period.year + 1, 1)
    : quarterPeriod(period.year, period.quarter! + 1);
}

/**
 * The first period of a kind owed: the one in which the center was recognised, as it lies (partly) after
 * recognition — the reading of libs/rules `quartersOwed` (A14), applied to years too (A15).
 */
export function firstPeriodAfter(kind: ReportKindV1, recognizedOn: string): ReportPeriod {
  const year = Number(recognizedOn.slice(0, 4));
  const month = Number(recognizedOn.slice(5, 7));
  const candidate = kind === 'annual' ? yearPeriod(year) : quarterPeriod(year, Math.ceil(month / 3));
  return candidate;
}

/**
 * After a revocation, a period is still owed when it ended on or before the revocation day (libs/rules
 * `isReportOwedAtEnd`, the rule the registry's standing reads too).
 */
export function isOwedAtEnd(period: ReportPeriod, endedOn: string): boolean {
  return isReportOwedAtEnd(period.key, endedOn);
}

/** A period is owed when it ends on or after the recognition date. */
export function isOwedAfter(period: ReportPeriod, recognizedOn: string): boolean {
  return period.end >= recognizedOn;
}
