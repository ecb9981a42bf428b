import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy } from './policy/policy-registry';
import {
  decideAnnualReportDue,
  decideQuarterlyReportDue,
  decideReportOverdue,
  isOverdue,
  isReportOwedAtEnd,
  reportPeriodOfKey,
} from './reporting-deadlines';

describe('quarterly report due date (A14)', () => {
  it.each([
    [2026, 1, '2026-03-31', '2026-04-15'],
    [2026, 2, '2026-06-30', '2026-07-15'],
    [2026, 3, '2026-09-30', '2026-10-15'],
    [2026, 4, '2026-12-31', '2027-01-15'],
    [2028, 1, '2028-03-31', '2028-04-15'],
  ])('%i Q%i ends %s and is due %s', (year, quarter, quarterEnd, dueDate) => {
    expect(decideQuarterlyReportDue({ year, quarter }, defaultPolicy).outcome).toEqual({
      quarterEnd,
      dueDate,
    });
  });

  it.each([
    [{ year: 2026, quarter: 5 }, 'quarter'],
    [{ year: 2026, quarter: 0 }, 'quarter'],
    [{ year: 26, quarter: 1 }, 'year'],
  ])('rejects %o naming the field', (input, field) => {
    expect(inputErrorField(() => decideQuarterlyReportDue(input, defaultPolicy))).toBe(field);
  });
});

describe('annual report due date (A15)', () => {
  it('is 31 January of the following year', () => {
    const d = decideAnnualReportDue({ reportYear: 2026 }, defaultPolicy);
    expect(d.outcome.dueDate).toBe('2027-01-31');
    expect(d.reasons[0].ruleId).toBe('A15');
  });
});

describe('overdue reports (A14, A15)', () => {
  const decide = (input: unknown) => decideReportOverdue(input, defaultPolicy);

  it.each([
    ['filed on the due date', { report: 'annual', dueDate: '2027-01-31', filedOn: '2027-01-31' }, false],
    ['filed the day after', { report: 'annual', dueDate: '2027-01-31', filedOn: '2027-02-01' }, true],
    [
      'filed 23:59 Shanghai time on the due date',
      { report: 'annual', dueDate: '2027-01-31', filedOn: '2027-01-31T15:59:00Z' },
      false,
    ],
    [
      'filed 00:00 Shanghai time the next day',
      { report: 'annual', dueDate: '2027-01-31', filedOn: '2027-01-31T16:00:00Z' },
      true,
    ],
    [
      'not filed, asked on the due date',
      { report: 'quarterly', dueDate: '2026-04-15', asOf: '2026-04-15T23:00:00+08:00' },
      false,
    ],
    [
      'not filed, asked the day after',
      { report: 'quarterly', dueDate: '2026-04-15', asOf: '2026-04-16' },
      true,
    ],
  ])('%s', (_name, input, overdue) => {
    const d = decide({ asOf: '2027-03-01', ...input });
    expect(d.outcome.overdue).toBe(overdue);
    expect(d.reasons[0].ruleId).toBe(input.report === 'annual' ? 'A15' : 'A14');
  });

  it('compares dates inclusively', () => {
    expect(isOverdue('2026-04-15', '2026-04-15')).toBe(false);
    expect(isOverdue('2026-04-15', '2026-04-16')).toBe(true);
  });

  it.each([
    [{ report: 'monthly', dueDate: '2026-04-15', asOf: '2026-04-16' }, 'report'],
    [{ report: 'annual', dueDate: '2026-04-15' }, 'asOf'],
    [{ report: 'annual', dueDate: '2026-04-15', asOf: 'yesterday' }, 'asOf'],
    [{ report: 'annual', dueDate: '2026-04-15', asOf: '2026-04-16', filedOn: '2026-04-16T10:00' }, 'filedOn'],
  ])('rejects %o naming the field', (input, field) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });
});

describe('report period keys (A14 quarters, A15 years)', () => {
  it.each([
    ['2026-Q1', { kind: 'quarterly', year: 2026, quarter: 1, end: '2026-03-31' }],
    ['2028-Q4', { kind: 'quarterly', year: 2028, quarter: 4, end: '2028-12-31' }],
    ['2026', { kind: 'annual', year: 2026, quarter: null, end: '2026-12-31' }],
  ])('reads %s', (key, period) => {
    expect(reportPeriodOfKey(key)).toEqual(period);
  });

  it.each(['2026-Q5', '2026-Q0', '2026-q1', '26', '2026-1', ' 2026', ''])(
    'names no period with %p',
    (key) => {
      expect(reportPeriodOfKey(key)).toBeNull();
    },
  );
});

describe('reports still owed after a revocation (A14–A15)', () => {
  it.each([
    // Ended before the revocation day, or on it: still owed, on time or late.
    ['2028-Q4', '2029-02-15', true],
    ['2028', '2029-02-15', true],
    ['2029-Q1', '2029-03-31', true],
    ['2029', '2029-12-31', true],
    // Ended after it: no longer owed, the period's quarter or year of the revocation included.
    ['2029-Q1', '2029-02-15', false],
    ['2029-Q1', '2029-03-30', false],
    ['2029', '2029-02-15', false],
    // A key naming no period is not owed.
    ['2029-Q5', '2030-01-01', false],
    ['Q1', '2030-01-01', false],
  ])('%s after obligations ended on %s: owed %p', (period, endedOn, owed) => {
    expect(isReportOwedAtEnd(period, endedOn)).toBe(owed);
  });
});
