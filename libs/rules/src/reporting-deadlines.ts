import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { addDays, daysInMonth, LocalDate, readLocalDate, shanghaiDateOf } from './values/local-date';
import { readCount, readObject, readOneOf } from './values/read';

/** Last day of a quarter (1–4). */
export function quarterEnd(year: number, quarter: number): LocalDate {
  const month = quarter * 3;
  return `${year}-${String(month).padStart(2, '0')}-${daysInMonth(year, month)}`;
}

/** A report period as its key names it: a calendar quarter 'YYYY-Qn' (A14) or a calendar year 'YYYY' (A15). */
export interface ReportPeriodOfKey {
  kind: 'quarterly' | 'annual';
  year: number;
  quarter: number | null;
  /** Its last day. */
  end: LocalDate;
}

/** The period a key names ('YYYY-Qn' a quarter, 'YYYY' a year); null for any other text. */
export function reportPeriodOfKey(key: string): ReportPeriodOfKey | null {
  const quarterly = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarterly) {
    const [year, quarter] = [Number(quarterly[1]), Number(quarterly[2])];
    return { kind: 'quarterly', year, quarter, end: quarterEnd(year, quarter) };
  }
  if (/^\d{4}$/.test(key)) return { kind: 'annual', year: Number(key), quarter: null, end: `${key}-12-31` };
  return null;
}

/**
 * A14–A15 after a revocation: the report of a period that ended on or before `endedOn` (the revocation day)
 * is still owed — revocation ends support (A16, A17.3), not the account of a period already lived, which
 * may be filed late; a later period's is not, nor a key naming no period. Reporting's refusals and schedule
 * and the registry's standing both ask this, so they agree.
 */
export function isReportOwedAtEnd(periodKey: string, endedOn: LocalDate): boolean {
  const period = reportPeriodOfKey(periodKey);
  return period !== null && period.end <= endedOn;
}

/** A14: quarter end + quarterlyReportDueDays calendar days; filing on the due date is on time. */
export function quarterlyReportDueDate(year: number, quarter: number, policy: Policy): LocalDate {
  return addDays(quarterEnd(year, quarter), policy.quarterlyReportDueDays);
}

/** A15: the report on `reportYear` is due by annualReportDueMonthDay (01-31) of the following year, inclusive. */
export function annualReportDueDate(reportYear: number, policy: Policy): LocalDate {
  return `${reportYear + 1}-${policy.annualReportDueMonthDay}`;
}

/** Overdue when filed (or, unfiled, as of `asOf`) on a date in Asia/Shanghai after the due date. */
export function isOverdue(dueDate: LocalDate, filedOrAsOf: LocalDate): boolean {
  return filedOrAsOf > dueDate;
}

function readYear(value: unknown, field: string, ruleId: string): number {
  const year = readCount(value, field, ruleId);
  if (year < 2000 || year > 9998) throw new RuleInputError(field, `expected a year, got ${year}`, ruleId);
  return year;
}

export interface QuarterlyDueInputs {
  year: number;
  quarter: number;
}

export function decideQuarterlyReportDue(
  raw: unknown,
  policy: Policy,
): Decision<QuarterlyDueInputs, { quarterEnd: LocalDate; dueDate: LocalDate }> {
  const o = readObject(raw, 'input', 'A14');
  const year = readYear(o.year, 'year', 'A14');
  const quarter = readCount(o.quarter, 'quarter', 'A14');
  if (quarter < 1 || quarter > 4)
    throw new RuleInputError('quarter', `expected 1 to 4, got ${quarter}`, 'A14');
  const end = quarterEnd(year, quarter);
  const dueDate = quarterlyReportDueDate(year, quarter, policy);
  return makeDecision({
    rule: 'quarterly-report-due',
    policyVersion: policy.version,
    inputs: { year, quarter },
    outcome: { quarterEnd: end, dueDate },
    reasons: [
      reason(
        'A14',
        'dueDate',
        dueDate,
        `${end} + ${policy.quarterlyReportDueDays} days`,
        true,
        `${year}年第${quarter}季度运营报告应于${dueDate}（含）前报送`,
        `the ${year} Q${quarter} operations report is due by ${dueDate}, inclusive`,
      ),
    ],
  });
}

export function decideAnnualReportDue(
  raw: unknown,
  policy: Policy,
): Decision<{ reportYear: number }, { dueDate: LocalDate }> {
  const reportYear = readYear(readObject(raw, 'input', 'A15').reportYear, 'reportYear', 'A15');
  const dueDate = annualReportDueDate(reportYear, policy);
  return makeDecision({
    rule: 'annual-report-due',
    policyVersion: policy.version,
    inputs: { reportYear },
    outcome: { dueDate },
    reasons: [
      reason(
        'A15',
        'dueDate',
        dueDate,
        `${reportYear + 1}-${policy.annualReportDueMonthDay}`,
        true,
        `${reportYear}年度报告应于${dueDate}（含）前报送`,
        `the annual report on ${reportYear} is due by ${dueDate}, inclusive`,
      ),
    ],
  });
}

export interface OverdueInputs {
  report: 'quarterly' | 'annual';
  dueDate: LocalDate;
  filedOn: LocalDate | null;
  asOf: LocalDate;
}

/** A14/A15: overdue when not filed by the due date; filing late is still possible but stays "filed late". */
export function decideReportOverdue(
  raw: unknown,
  policy: Policy,
): Decision<OverdueInputs, { overdue: boolean; filed: boolean }> {
  const o = readObject(raw, 'input', 'A14');
  const report = readOneOf(o.report, ['quarterly', 'annual'] as const, 'report', 'A14');
  const ruleId = report === 'quarterly' ? 'A14' : 'A15';
  const inputs: OverdueInputs = {
    report,
    dueDate: readLocalDate(o.dueDate, 'dueDate', ruleId),
    filedOn:
      o.filedOn === undefined || o.filedOn === null ? null : shanghaiDateOf(o.filedOn, 'filedOn', ruleId),
    asOf: shanghaiDateOf(o.asOf, 'asOf', ruleId),
  };
  const measured = inputs.filedOn ?? inputs.asOf;
  const overdue = isOverdue(inputs.dueDate, measured);
  const filed = inputs.filedOn !== null;
  return makeDecision({
    rule: 'report-overdue',
    policyVersion: policy.version,
    inputs,
    outcome: { overdue, filed },
    reasons: [
      reason(
        ruleId,
        filed ? 'filedOn' : 'notFiledAsOf',
        measured,
        `<= ${inputs.dueDate}`,
        !overdue,
        filed
          ? `报告于${measured}报送，${overdue ? '逾期' : '按期'}（截止${inputs.dueDate}）`
          : `截至${measured}未报送，${overdue ? '已逾期' : '尚未到期'}（截止${inputs.dueDate}）`,
        filed
          ? `filed on ${measured}, ${overdue ? 'late' : 'on time'} (due ${inputs.dueDate})`
          : `not filed as of ${measured}: ${overdue ? 'overdue' : 'not yet due'} (due ${inputs.dueDate})`,
      ),
    ],
  });
}

export interface QuarterRef {
  year: number;
  quarter: number;
}

/**
 * A14: the quarters a report is owed for, up to `asOf`: every quarter that ends on or after the recognition
 * date (the quarter of recognition included, as it lies partly after it) and has ended before `asOf`.
 */
export function quartersOwed(recognizedOn: LocalDate, asOf: LocalDate): QuarterRef[] {
  const owed: QuarterRef[] = [];
  let year = Number(recognizedOn.slice(0, 4));
  let quarter = Math.ceil(Number(recognizedOn.slice(5, 7)) / 3);
  while (quarterEnd(year, quarter) < asOf) {
    owed.push({ year, quarter });
    [year, quarter] = quarter === 4 ? [year + 1, 1] : [year, quarter + 1];
  }
  return owed;
}
