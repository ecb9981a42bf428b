import { canonicalJson } from '@nqpf/contracts';
import { RuleInputError } from '../errors';
import { CalendarYear, validateCalendarYear } from './calendar-year';
import { BUNDLED_CALENDAR_YEARS } from './bundled-calendar';
import { WorkingDayCalendar } from './working-day-calendar';

export class UnknownCalendarVersionError extends Error {
  constructor(readonly version: string) {
    super(`no calendar year data with version '${version}' is known`);
    this.name = 'UnknownCalendarVersionError';
  }
}

/** Every calendar year version ever used, so a decision can be replayed with the exact data it used. */
export class CalendarRegistry {
  private readonly byVersion = new Map<string, CalendarYear>();

  constructor(years: unknown[] = BUNDLED_CALENDAR_YEARS) {
    years.forEach((y) => this.register(y));
  }

  /** As PolicyRegistry: a version names one content; a file that differs under a known name is refused. */
  register(raw: unknown): CalendarYear {
    const year = validateCalendarYear(raw);
    const known = this.byVersion.get(year.version);
    if (known && canonicalJson(known) !== canonicalJson(year))
      throw new RuleInputError(
        'calendar.version',
        `'${year.version}' is already registered with other content`,
      );
    this.byVersion.set(year.version, year);
    return year;
  }

  /** A calendar made of exactly the year versions named in a recorded version string ('cn-2025.1+cn-2026.1'). */
  forVersion(version: string): WorkingDayCalendar {
    const years = version.split('+').map((v) => {
      const year = this.byVersion.get(v);
      if (!year) throw new UnknownCalendarVersionError(v);
      return year;
    });
    return new WorkingDayCalendar(years);
  }
}
