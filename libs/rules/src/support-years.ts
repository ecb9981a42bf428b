import { Policy } from './policy/policy';
import { LocalDate, yearOf } from './values/local-date';

/** A12.1: support year n is calendar year (recognition year + n − 1), for n = 1..supportYears. */
export function supportYearCalendarYear(recognizedOn: LocalDate, supportYear: number): number {
  return yearOf(recognizedOn) + supportYear - 1;
}

/** The support year (1..supportYears) that a calendar year is for a center, or null outside support. */
export function supportYearOf(recognizedOn: LocalDate, calendarYear: number, policy: Policy): number | null {
  const n = calendarYear - yearOf(recognizedOn) + 1;
  return n >= 1 && n <= policy.supportYears ? n : null;
}
