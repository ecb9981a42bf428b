import { ReportingEventTypes as T } from '@nqpf/contracts';
import { decideAnnualReportDue, decideQuarterlyReportDue, Policy } from '@nqpf/rules';
import { underRules } from '@nqpf/domain';
import { ReportPeriod } from './report-period';
import { ObligationsEvent } from './obligations.types';

/** A14/A15: the due date of a period from the policy, as a recorded decision. */
export function dueDecision(period: ReportPeriod, policy: Policy) {
  return underRules(() =>
    period.kind === 'quarterly'
      ? decideQuarterlyReportDue({ year: period.year, quarter: period.quarter }, policy)
      : decideAnnualReportDue({ reportYear: period.year }, policy),
  );
}

export function scheduleReport(
  centerId: string,
  period: ReportPeriod,
  follows: string | null,
  policy: Policy,
): Extract<ObligationsEvent, { type: typeof T.ReportDueScheduled }> {
  const decision = dueDecision(period, policy);
  return {
    type: T.ReportDueScheduled,
    schemaVersion: 1,
    payload: {
      centerId,
      kind: period.kind,
      period: period.key,
      periodEnd: period.end,
      dueOn: decision.outcome.dueDate,
      follows,
      decision,
    },
  };
}
