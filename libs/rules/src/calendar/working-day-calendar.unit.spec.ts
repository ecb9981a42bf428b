import fc from 'fast-check';
import cn2026 from './data/cn-2026.json';
import { BUNDLED_CALENDAR_YEARS, bundledCalendar } from './bundled-calendar';
import { CalendarRegistry, UnknownCalendarVersionError } from './calendar-registry';
import { TEST_CALENDAR_2018, TEST_CALENDAR_2019 } from './cn-2018-2019.fixture';
import { TEST_CALENDAR_2027 } from './cn-2027.fixture';
import { CalendarYearNotCoveredError, WorkingDayCalendar } from './working-day-calendar';
import { addDays } from '../values/local-date';

const calendar = bundledCalendar();

describe('working-day calendar of mainland China', () => {
  // 2026 as published by the State Council (checked against chinese-days 1.5.7: identical).
  it.each([
    ['2026-01-01', false, 'New Year holiday (Thu)'],
    ['2026-01-03', false, 'New Year holiday (Sat)'],
    ['2026-01-04', true, 'adjusted working Sunday'],
    ['2026-01-05', true, 'ordinary Monday'],
    ['2026-01-31', false, 'ordinary Saturday'],
    ['2026-02-01', false, 'ordinary Sunday'],
    ['2026-02-14', true, 'adjusted working Saturday before Spring Festival'],
    ['2026-02-15', false, 'Spring Festival first day (Sun)'],
    ['2026-02-23', false, 'Spring Festival last day (Mon)'],
    ['2026-02-24', true, 'first day after Spring Festival'],
    ['2026-02-28', true, 'adjusted working Saturday after Spring Festival'],
    ['2026-04-06', false, 'Qingming (Mon)'],
    ['2026-05-05', false, 'Labour Day holiday (Tue)'],
    ['2026-05-09', true, 'adjusted working Saturday'],
    ['2026-06-19', false, 'Dragon Boat (Fri)'],
    ['2026-09-20', true, 'adjusted working Sunday'],
    ['2026-09-25', false, 'Mid-Autumn (Fri)'],
    ['2026-10-07', false, 'National Day last day'],
    ['2026-10-10', true, 'adjusted working Saturday'],
    ['2025-10-08', false, '2025 National Day + Mid-Autumn'],
    ['2025-09-28', true, '2025 adjusted working Sunday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(calendar.isWorkingDay(date)).toBe(working);
  });

  it('refuses a year it does not cover instead of guessing from weekdays', () => {
    expect(() => calendar.isWorkingDay('2027-01-04')).toThrow(CalendarYearNotCoveredError);
    expect(() => calendar.addWorkingDays('2026-12-30', 5)).toThrow(/does not cover 2027/);
    expect(() => calendar.isWorkingDay('2024-06-03')).toThrow(
      expect.objectContaining({ year: 2024, coveredYears: [2025, 2026] }),
    );
    expect(() => calendar.isWorkingDay('2024-06-03')).not.toThrow(expect.objectContaining({ year: 2023 }));
  });

  it('loads a newly published year as data, without a code change', () => {
    const extended = bundledCalendar([TEST_CALENDAR_2027]);
    expect(extended.isWorkingDay('2027-01-01')).toBe(false);
    expect(extended.isWorkingDay('2027-01-02')).toBe(true);
    expect(extended.addWorkingDays('2026-12-30', 2)).toBe('2027-01-02');
    expect(extended.versionOf([2026, 2027])).toBe('cn-2026.1+cn-2027.test');
    expect(extended.coveredYears()).toEqual([2025, 2026, 2027]);
  });

  it.each([
    [{ ...cn2026, country: 'JP' }, 'calendar.country'],
    [{ ...cn2026, year: 'x' }, 'calendar.year'],
    [{ ...cn2026, holidays: [{ date: '2025-01-01', name: 'x' }] }, 'calendar.holidays[0].date'],
    [{ ...cn2026, holidays: [{ date: '2025-11-30', name: 'x' }] }, 'calendar.holidays[0].date'],
    [{ ...cn2026, holidays: [{ date: '2024-12-31', name: 'x' }] }, 'calendar.holidays[0].date'],
    [{ ...cn2026, holidays: [{ date: '2027-01-01', name: 'x' }] }, 'calendar.holidays[0].date'],
    [
      { ...cn2026, adjustedWorkingDays: [{ date: '2025-11-29', name: 'x' }] },
      'calendar.adjustedWorkingDays[0].date',
    ],
    [{ ...cn2026, adjustedWorkingDays: [{ date: '2026-01-01', name: 'x' }] }, 'calendar.adjustedWorkingDays'],
    [
      { ...TEST_CALENDAR_2019, adjustedWorkingDays: [{ date: '2018-12-30', name: 'x' }] },
      'calendar.adjustedWorkingDays',
    ],
  ])('rejects malformed year data naming the field', (data, field) => {
    expect(() => new WorkingDayCalendar([data])).toThrow(expect.objectContaining({ field }));
  });

  it('says which days a year may name when one lies outside them', () => {
    const early = { ...TEST_CALENDAR_2019, holidays: [{ date: '2018-11-30', name: 'x' }] };
    expect(() => new WorkingDayCalendar([early])).toThrow(
      'calendar.holidays[0].date: expected a date in 2019 or in December 2018',
    );
  });

  describe("a notice that rearranges the preceding December (2019's: 2018-12-29 worked, 12-30/31 off)", () => {
    const both = new WorkingDayCalendar([TEST_CALENDAR_2018, TEST_CALENDAR_2019]);
    const only2018 = new WorkingDayCalendar([TEST_CALENDAR_2018]);

    it.each([
      ['2018-12-28', true, 2018, 'an ordinary Friday, not named by the 2019 notice'],
      ['2018-12-29', true, 2019, 'the working Saturday of the 2019 notice'],
      ['2018-12-30', false, 2019, 'a Sunday the 2019 notice names a holiday'],
      ['2018-12-31', false, 2019, 'a Monday the 2019 notice makes a holiday'],
      ['2019-01-01', false, 2019, "New Year's Day"],
      ['2018-01-01', false, 2018, "New Year's Day 2018"],
    ])('with both years loaded, %s is a working day: %s, decided by %s (%s)', (date, working, year) => {
      expect(both.isWorkingDay(date)).toBe(working);
      expect(both.decidingYear(date)).toBe(year);
    });

    it("without the next year's notice, the day's own year answers as before (weekdays where it names none)", () => {
      expect(only2018.isWorkingDay('2018-12-29')).toBe(false);
      expect(only2018.isWorkingDay('2018-12-31')).toBe(true);
      expect(only2018.decidingYear('2018-12-31')).toBe(2018);
    });

    it("the later notice wins over what the day's own year says of it", () => {
      const own = { ...TEST_CALENDAR_2018, adjustedWorkingDays: [{ date: '2018-12-31', name: 'x' }] };
      expect(new WorkingDayCalendar([own]).isWorkingDay('2018-12-31')).toBe(true);
      expect(new WorkingDayCalendar([TEST_CALENDAR_2019, own]).isWorkingDay('2018-12-31')).toBe(false);
    });

    it("still needs the day's own year: the next year's notice alone covers no day of the year before", () => {
      const only2019 = new WorkingDayCalendar([TEST_CALENDAR_2019]);
      expect(() => only2019.isWorkingDay('2018-12-29')).toThrow(
        expect.objectContaining({ year: 2018, coveredYears: [2019] }),
      );
      expect(() => only2019.isWorkingDay('2018-12-27')).toThrow(CalendarYearNotCoveredError);
      expect(only2019.isWorkingDay('2019-01-02')).toBe(true);
    });

    it('registers and replays such a year by its version', () => {
      const registry = new CalendarRegistry([TEST_CALENDAR_2018, TEST_CALENDAR_2019]);
      expect(registry.forVersion('cn-2018.test').isWorkingDay('2018-12-29')).toBe(false);
      expect(registry.forVersion('cn-2018.test+cn-2019.test').isWorkingDay('2018-12-29')).toBe(true);
    });
  });

  it('refuses to replace a loaded year with another version, or with other content under its version', () => {
    expect(() => calendar.load({ ...cn2026, version: 'cn-2026.2' })).toThrow(/already loaded/);
    expect(() => calendar.load(cn2026)).not.toThrow();
    const extraHoliday = { ...cn2026, holidays: [...cn2026.holidays, { date: '2026-02-04', name: 'x' }] };
    expect(() => calendar.load(extraHoliday)).toThrow(/already loaded with other content/);
    expect(calendar.addWorkingDays('2026-01-30', 5)).toBe('2026-02-06');
  });

  it('adds working days without counting the start day; zero gives the start day', () => {
    expect(calendar.addWorkingDays('2026-01-30', 5)).toBe('2026-02-06');
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(calendar.addWorkingDays('2026-03-01', 0)).toBe('2026-03-01');
    expect(() => calendar.addWorkingDays('2026-03-01', -1)).toThrow(RangeError);
  });

  it('replays a recorded calendar version from the registry, and refuses an unknown one', () => {
    const registry = new CalendarRegistry();
    expect(registry.forVersion('cn-2025.1+cn-2026.1').coveredYears()).toEqual([2025, 2026]);
    expect(() => registry.forVersion('cn-2026.9')).toThrow(UnknownCalendarVersionError);
    expect(BUNDLED_CALENDAR_YEARS.map((y) => y.version)).toEqual(['cn-2025.1', 'cn-2026.1']);
  });

  it('keeps one content per calendar version: a file differing under a known version is refused', () => {
    const registry = new CalendarRegistry();
    expect(registry.register(cn2026).version).toBe('cn-2026.1');
    const altered = { ...cn2026, holidays: [...cn2026.holidays, { date: '2026-03-12', name: 'made up' }] };
    expect(() => registry.register(altered)).toThrow("'cn-2026.1' is already registered with other content");
  });

  const day2026 = fc.integer({ min: 0, max: 300 }).map((n) => addDays('2026-01-01', n));
  const days = fc.integer({ min: 0, max: 30 });

  it('addWorkingDays is monotonic in the start date and in the count', () => {
    fc.assert(
      fc.property(day2026, day2026, days, days, (a, b, m, n) => {
        const [s1, s2] = a <= b ? [a, b] : [b, a];
        const [n1, n2] = m <= n ? [m, n] : [n, m];
        return (
          calendar.addWorkingDays(s1, n1) <= calendar.addWorkingDays(s2, n1) &&
          calendar.addWorkingDays(s1, n1) <= calendar.addWorkingDays(s1, n2)
        );
      }),
    );
  });
});
