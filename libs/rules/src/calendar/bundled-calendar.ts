import cn2025 from './data/cn-2025.json';
import cn2026 from './data/cn-2026.json';
import { CalendarYear, validateCalendarYear } from './calendar-year';
import { WorkingDayCalendar } from './working-day-calendar';

/**
 * The years shipped with this code. 2027 is not here: when these data were prepared the 2027 arrangements
 * were not in the reference data (chinese-days 1.5.7 ends at 2026); load them with `calendar.load(year)` or
 * add cn-2027.json here once published — until then a 2027 question raises CalendarYearNotCoveredError.
 */
export const BUNDLED_CALENDAR_YEARS: CalendarYear[] = [cn2025, cn2026].map(validateCalendarYear);

export function bundledCalendar(extraYears: unknown[] = []): WorkingDayCalendar {
  return new WorkingDayCalendar([...BUNDLED_CALENDAR_YEARS, ...extraYears]);
}
