import { writeFileSync } from 'node:fs';
import { ConfigError } from '@nqpf/platform';
import { decidePublicityEnd, defaultPolicy } from '@nqpf/rules';
import { writeTempJson } from '@nqpf/testing';
import { TEST_CALENDAR_2027 } from '../../../../libs/rules/src/calendar/cn-2027.fixture';
import { loadWorkingDayCalendar } from './working-day-calendar';

describe('the working-day calendar review counts publicity on (A9.3)', () => {
  it('is the bundled years when NQPF_CALENDAR_YEARS names no file', () => {
    expect(loadWorkingDayCalendar([]).coveredYears()).toEqual([2025, 2026]);
  });

  it('adds the years of the files NQPF_CALENDAR_YEARS names, and decisions record their version', () => {
    const calendar = loadWorkingDayCalendar([writeTempJson('cn-2027.json', TEST_CALENDAR_2027)]);
    expect(calendar.coveredYears()).toEqual([2025, 2026, 2027]);
    const decision = decidePublicityEnd({ publishedOn: '2026-12-28' }, defaultPolicy, calendar);
    expect(decision.calendarVersion).toBe('cn-2026.1+cn-2027.test');
    // 1 January is the loaded year's holiday, 2 January (a Saturday) its adjusted working day.
    expect(decision.outcome.countedDays).toEqual([
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-02',
      '2027-01-04',
    ]);
  });

  it('stops the start naming the variable, the file and the field when a file is unreadable or wrong', () => {
    const wrong = writeTempJson('cn-2027.json', {
      ...TEST_CALENDAR_2027,
      holidays: [{ date: '2026-01-01', name: 'x' }],
    });
    expect(() => loadWorkingDayCalendar([wrong])).toThrow(ConfigError);
    expect(() => loadWorkingDayCalendar([wrong])).toThrow(
      new RegExp(`NQPF_CALENDAR_YEARS: ${wrong}: .*calendar\\.holidays\\[0\\]\\.date`),
    );
    const notJson = writeTempJson('cn-2027.json', TEST_CALENDAR_2027);
    writeFileSync(notJson, '{');
    expect(() => loadWorkingDayCalendar([notJson])).toThrow(/NQPF_CALENDAR_YEARS: .*cn-2027\.json: .*JSON/);
    expect(() => loadWorkingDayCalendar(['/nonexistent/cn-2027.json'])).toThrow(/ENOENT/);
  });
});
