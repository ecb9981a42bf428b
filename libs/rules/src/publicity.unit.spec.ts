import fc from 'fast-check';
import { bundledCalendar } from './calendar/bundled-calendar';
import { CalendarRegistry } from './calendar/calendar-registry';
import { TEST_CALENDAR_2018, TEST_CALENDAR_2019 } from './calendar/cn-2018-2019.fixture';
import { CalendarYearNotCoveredError, WorkingDayCalendar } from './calendar/working-day-calendar';
import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy, defaultPolicyRegistry } from './policy/policy-registry';
import { decidePublicityEnd } from './publicity';
import { replayDecision, replayMatches } from './replay';
import { addDays } from './values/local-date';

const calendar = bundledCalendar();
const decide = (input: unknown) => decidePublicityEnd(input, defaultPolicy, calendar);

describe('publicity end (A9.3)', () => {
  it('case 8: published Friday 2026-01-30 counts 2–6 Feb and ends 2026-02-06 24:00', () => {
    const d = decide({ publishedOn: '2026-01-30' });
    expect(d.outcome).toEqual({
      lastDay: '2026-02-06',
      endsAtExclusive: '2026-02-07T00:00:00+08:00',
      countedDays: ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'],
    });
    expect(d).toMatchObject({
      rule: 'publicity-end',
      calendarVersion: 'cn-2026.1',
      policyVersion: 'policy-2026.1',
    });
    expect(d.reasons[0]).toMatchObject({ ruleId: 'A9.3', measured: 5, threshold: 5, passed: true });
  });

  it.each([
    ['over Spring Festival, counting the adjusted Saturday', '2026-02-11', '2026-02-25'],
    ['over National Day, counting the adjusted Saturday', '2026-09-29', '2026-10-12'],
    ['published on a holiday', '2026-10-03', '2026-10-13'],
    ['across the year end', '2025-12-29', '2026-01-06'],
  ])('%s', (_name, publishedOn, lastDay) => {
    expect(decide({ publishedOn }).outcome.lastDay).toBe(lastDay);
  });

  it('records both years when the period crosses the year end', () => {
    expect(decide({ publishedOn: '2025-12-29' }).calendarVersion).toBe('cn-2025.1+cn-2026.1');
  });

  it("a publication on 31 December counts only the new year's days and records only its calendar (A9.3)", () => {
    // The publication day is not counted, so 2025's data decided none of the period: replay needs 2026 alone.
    const d = decide({ publishedOn: '2025-12-31' });
    expect(d.outcome.countedDays[0]).toBe('2026-01-04'); // the adjusted working Sunday
    expect(d.calendarVersion).toBe('cn-2026.1');
  });

  it('accepts a longer period and refuses a shorter one than the policy', () => {
    expect(decide({ publishedOn: '2026-01-30', workingDays: 7 }).outcome.lastDay).toBe('2026-02-10');
    expect(inputErrorField(() => decide({ publishedOn: '2026-01-30', workingDays: 4 }))).toBe('workingDays');
    expect(inputErrorField(() => decide({ publishedOn: '30/01/2026' }))).toBe('publishedOn');
  });

  it('is an explicit error when the period reaches an uncovered year', () => {
    expect(() => decide({ publishedOn: '2026-12-28' })).toThrow(CalendarYearNotCoveredError);
  });

  it('always ends on a working day with exactly N working days after the publication day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 340 }), fc.integer({ min: 5, max: 15 }), (offset, n) => {
        const publishedOn = addDays('2025-01-01', offset);
        const { lastDay, countedDays } = decide({ publishedOn, workingDays: n }).outcome;
        let working = 0;
        for (let day = addDays(publishedOn, 1); day <= lastDay; day = addDays(day, 1))
          if (calendar.isWorkingDay(day)) working++;
        return calendar.isWorkingDay(lastDay) && working === n && countedDays.length === n;
      }),
    );
  });
});

describe('publicity calendar version', () => {
  it('names every year the period runs through', () => {
    const threeYears = bundledCalendar([
      { country: 'CN', year: 2027, version: 'cn-2027.t', holidays: [], adjustedWorkingDays: [] },
    ]);
    const d = decidePublicityEnd({ publishedOn: '2025-12-30', workingDays: 300 }, defaultPolicy, threeYears);
    expect(d.outcome.lastDay.startsWith('2027-')).toBe(true);
    expect(d.calendarVersion).toBe('cn-2025.1+cn-2026.1+cn-2027.t');
  });
});

describe("publicity over days the next year's notice rearranges (the 2019 notice: 2018-12-29 worked, 12-30/31 off)", () => {
  const both = new WorkingDayCalendar([TEST_CALENDAR_2018, TEST_CALENDAR_2019]);
  const only2018 = new WorkingDayCalendar([TEST_CALENDAR_2018]);
  const decideOn = (calendar: WorkingDayCalendar, publishedOn: string) =>
    decidePublicityEnd({ publishedOn }, defaultPolicy, calendar);
  const context = () => ({
    policies: defaultPolicyRegistry(),
    calendars: new CalendarRegistry([TEST_CALENDAR_2018, TEST_CALENDAR_2019]),
  });

  it('published 2018-12-24, counts 25–28 December and the working Saturday 29th, and records both years', () => {
    const d = decideOn(both, '2018-12-24');
    expect(d.outcome).toEqual({
      lastDay: '2018-12-29',
      endsAtExclusive: '2018-12-30T00:00:00+08:00',
      countedDays: ['2018-12-25', '2018-12-26', '2018-12-27', '2018-12-28', '2018-12-29'],
    });
    expect(d.calendarVersion).toBe('cn-2018.test+cn-2019.test');
  });

  it("without the 2019 notice loaded, December is answered by 2018's data as before (not refused)", () => {
    const d = decideOn(only2018, '2018-12-24');
    expect(d.outcome.countedDays).toEqual([
      '2018-12-25',
      '2018-12-26',
      '2018-12-27',
      '2018-12-28',
      '2018-12-31',
    ]);
    expect(d.calendarVersion).toBe('cn-2018.test');
  });

  it('records the next year only where its data decided a day of the period', () => {
    expect(decideOn(both, '2018-12-03')).toMatchObject({
      outcome: { lastDay: '2018-12-10' },
      calendarVersion: 'cn-2018.test',
    });
    // Ends the Friday before the days the 2019 notice names: 2018 alone decided it.
    expect(decideOn(both, '2018-12-21')).toMatchObject({
      outcome: {
        countedDays: ['2018-12-24', '2018-12-25', '2018-12-26', '2018-12-27', '2018-12-28'],
      },
      calendarVersion: 'cn-2018.test',
    });
    expect(decideOn(both, '2018-12-27')).toMatchObject({
      outcome: { countedDays: ['2018-12-28', '2018-12-29', '2019-01-02', '2019-01-03', '2019-01-04'] },
      calendarVersion: 'cn-2018.test+cn-2019.test',
    });
  });

  it('replays a decision recorded with one year and one recorded with two, each on exactly its own years', () => {
    const before = decideOn(only2018, '2018-12-24');
    const after = decideOn(both, '2018-12-24');
    // The registry knows both years: replay still loads only those the decision names.
    expect(replayMatches(before, context())).toBe(true);
    expect(replayMatches(after, context())).toBe(true);
    expect(replayDecision(before, context()).outcome).toEqual(before.outcome);
    expect(replayDecision(after, context()).outcome).toEqual(after.outcome);
    // Named with 2018 alone, the two-year decision would have counted other days: it no longer matches.
    expect(replayMatches({ ...after, calendarVersion: 'cn-2018.test' }, context())).toBe(false);
  });

  it('replays the shipped years as before: a period across the year end names both, none rearranges December', () => {
    const d = decide({ publishedOn: '2025-12-29' });
    expect(d.calendarVersion).toBe('cn-2025.1+cn-2026.1');
    expect(replayMatches(d, { policies: defaultPolicyRegistry(), calendars: new CalendarRegistry() })).toBe(
      true,
    );
  });
});
