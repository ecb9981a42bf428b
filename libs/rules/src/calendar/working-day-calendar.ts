import { canonicalJson } from '@nqpf/contracts';
import { addDays, dayOfWeek, LocalDate, yearOf } from '../values/local-date';
import { CalendarYear, validateCalendarYear } from './calendar-year';

/** Asked about a year whose holidays are not loaded: never guessed from weekdays alone (A9.3). */
export class CalendarYearNotCoveredError extends Error {
  constructor(
    readonly year: number,
    readonly coveredYears: number[],
  ) {
    super(
      `the working-day calendar does not cover ${year} (covered: ${coveredYears.join(', ') || 'none'}); ` +
        `load that year's published holiday data`,
    );
    this.name = 'CalendarYearNotCoveredError';
  }
}

/** Working days of mainland China, from loaded year data; answers only for covered years. */
export class WorkingDayCalendar {
  private readonly years = new Map<number, CalendarYear>();
  /** Per loaded year: the days its data name, rest (false) or working (true), preceding December included. */
  private readonly named = new Map<number, Map<LocalDate, boolean>>();

  constructor(years: unknown[] = []) {
    years.forEach((y) => this.load(y));
  }

  /**
   * Adds a year (e.g. one the State Council has just published); replacing a loaded year is refused, and
   * so is other content under its version: decisions record the version, and replay by it.
   */
  load(raw: unknown): this {
    const year = validateCalendarYear(raw);
    const known = this.years.get(year.year);
    if (known && known.version !== year.version)
      throw new Error(
        `calendar year ${year.year} is already loaded as ${known.version}, not ${year.version}`,
      );
    if (known && canonicalJson(known) !== canonicalJson(year))
      throw new Error(`calendar year ${year.year} is already loaded with other content as ${year.version}`);
    this.years.set(year.year, year);
    const named = new Map<LocalDate, boolean>();
    year.holidays.forEach((d) => named.set(d.date, false));
    year.adjustedWorkingDays.forEach((d) => named.set(d.date, true));
    this.named.set(year.year, named);
    return this;
  }

  coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  yearData(year: number): CalendarYear {
    const data = this.years.get(year);
    if (!data) throw new CalendarYearNotCoveredError(year, this.coveredYears());
    return data;
  }

  /** Version string of the given years' data, e.g. 'cn-2025.1+cn-2026.1' (recorded in decisions). */
  versionOf(years: Iterable<number>): string {
    return [...new Set(years)]
      .sort((a, b) => a - b)
      .map((y) => this.yearData(y).version)
      .join('+');
  }

  /**
   * The year whose data answer `date`: its own year, which must be covered, except for a December day the
   * next year's data name when they are loaded — that later notice is the authority for it (the 2019 notice
   * made 2018-12-29 a working day). Without the next year loaded the day's own year answers, as before.
   */
  decidingYear(date: LocalDate): number {
    const year = yearOf(date);
    this.yearData(year);
    return this.named.get(year + 1)?.has(date) ? year + 1 : year;
  }

  isWorkingDay(date: LocalDate): boolean {
    const answer = this.named.get(this.decidingYear(date))?.get(date);
    if (answer !== undefined) return answer;
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /**
   * The n-th working day after `start`, not counting `start` itself (n = 0 gives `start`), and the
   * working days counted on the way.
   */
  workingDaysAfter(start: LocalDate, n: number): LocalDate[] {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
    const counted: LocalDate[] = [];
    let day = start;
    while (counted.length < n) {
      day = addDays(day, 1);
      if (this.isWorkingDay(day)) counted.push(day);
    }
    return counted;
  }

  addWorkingDays(start: LocalDate, n: number): LocalDate {
    const counted = this.workingDaysAfter(start, n);
    return counted.length === 0 ? start : counted[counted.length - 1];
  }
}
