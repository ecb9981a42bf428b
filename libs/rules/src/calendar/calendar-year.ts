import { RuleInputError } from '../errors';
import { isLocalDate, LocalDate, show, yearOf } from '../values/local-date';
import { readArray, readObject, readString } from '../values/read';

export interface CalendarDay {
  date: LocalDate;
  name: string;
  nameEn?: string;
}

/**
 * One year of the mainland-China calendar as the State Council publishes it: statutory rest days and
 * adjusted working days (调休). Every other Saturday and Sunday is a rest day, every other day a working day.
 * The notice for a year sometimes also rearranges the last days of the year before (the 2019 notice:
 * 2018-12-29 worked, 2018-12-30/31 off), so a year's days may also lie in the preceding December, never
 * earlier; where that year's data are loaded they decide those days (WorkingDayCalendar).
 */
export interface CalendarYear {
  country: 'CN';
  year: number;
  version: string;
  source?: string;
  holidays: CalendarDay[];
  adjustedWorkingDays: CalendarDay[];
}

/** A day a year's notice may name: in the year itself, or in the December before it. */
function inNoticeRange(date: LocalDate, year: number): boolean {
  return yearOf(date) === year || (yearOf(date) === year - 1 && date.slice(5, 7) === '12');
}

/** Checks one year's data object (e.g. a newly published year's JSON). */
export function validateCalendarYear(raw: unknown): CalendarYear {
  const o = readObject(raw, 'calendar');
  if (o.country !== 'CN')
    throw new RuleInputError('calendar.country', `expected 'CN', got ${show(o.country)}`);
  if (typeof o.year !== 'number' || !Number.isInteger(o.year) || o.year < 1949 || o.year > 9999)
    throw new RuleInputError('calendar.year', `expected a year, got ${show(o.year)}`);
  const year = o.year;
  const version = readString(o.version, 'calendar.version');
  const days = (field: string): CalendarDay[] =>
    readArray(o[field], `calendar.${field}`).map((item, i) => {
      const d = readObject(item, `calendar.${field}[${i}]`);
      if (!isLocalDate(d.date) || !inNoticeRange(d.date, year))
        throw new RuleInputError(
          `calendar.${field}[${i}].date`,
          `expected a date in ${year} or in December ${year - 1} (the days its notice rearranges in the year ` +
            `before), got ${show(d.date)}`,
        );
      const day: CalendarDay = { date: d.date, name: readString(d.name, `calendar.${field}[${i}].name`) };
      if (typeof d.nameEn === 'string') day.nameEn = d.nameEn;
      return day;
    });
  const holidays = days('holidays');
  const adjustedWorkingDays = days('adjustedWorkingDays');
  const rest = new Set(holidays.map((d) => d.date));
  const clash = adjustedWorkingDays.find((d) => rest.has(d.date));
  if (clash)
    throw new RuleInputError(
      'calendar.adjustedWorkingDays',
      `${clash.date} is listed both as holiday and as working day`,
    );
  const out: CalendarYear = { country: 'CN', year, version, holidays, adjustedWorkingDays };
  if (typeof o.source === 'string') out.source = o.source;
  return out;
}
