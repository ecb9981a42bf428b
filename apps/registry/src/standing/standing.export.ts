import { csvOf, type CsvColumns } from './csv';
import type { StandingView } from './standing.view';

/** The rule ids (A6.x) of the criteria the eligibility decision found unmet, in the decision's order. */
export function failedEligibilityRules(view: StandingView): string[] {
  return view.eligibility.reasons.filter((r) => !r.passed).map((r) => r.ruleId);
}

/**
 * A17: each assessment year's grade, oldest first, as a person reads it in a spreadsheet (`2026 不合格;
 * 2027 合格`); the `grades` column keeps the JSON for programs reading it.
 */
export function gradeHistory(view: StandingView): string {
  return Object.entries(view.grades)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([year, grade]) => `${year} ${grade}`)
    .join('; ');
}

/** GET /standing.csv, column by column (CsvColumns: new ones at the end). */
export const STANDING_CSV_COLUMNS: CsvColumns<StandingView> = [
  ['centerId', (v) => v.centerId, 'text'],
  ['district', (v) => v.district, 'text'],
  ['phase', (v) => v.phase],
  ['status', (v) => v.status],
  ['operatorName', (v) => v.operator.name, 'text'],
  ['submittedOn', (v) => v.dates.submittedOn],
  ['recognizedOn', (v) => v.dates.recognizedOn],
  ['operationStartedOn', (v) => v.dates.operationStartedOn],
  ['revokedOn', (v) => v.dates.revokedOn],
  ['latestGrade', (v) => v.latestGrade],
  ['grades', (v) => v.grades],
  ['consecutiveUnqualified', (v) => v.consecutiveUnqualified],
  ['reportsDue', (v) => v.reports.due],
  ['reportsOverdue', (v) => v.reports.overdue],
  ['operatingDeadline', (v) => v.operatingDeadline],
  ['daysLeftToOperatingDeadline', (v) => v.daysLeftToOperatingDeadline],
  ['revocationRule', (v) => v.revocation?.rule ?? null],
  // A6 outcome: true / false, empty before the decision; the unmet criteria's rule ids, `; `-separated.
  ['eligible', (v) => v.eligibility.eligible],
  ['eligibilityFailedRules', (v) => failedEligibilityRules(v).join('; ')],
  ['eligibilityPolicyVersion', (v) => v.eligibility.policyVersion, 'text'],
  // A16, A17.3: the reason's code, and its explanation in Chinese.
  ['revocationReason', (v) => v.revocation?.reason ?? null],
  ['revocationExplanation', (v) => v.revocation?.explanation?.zh ?? null, 'text'],
  ['awaiting', (v) => v.awaiting.join('; ')],
  // A17.3a: the last day a start made by the operating deadline may still be declared.
  ['startDeclarationsCloseOn', (v) => v.startDeclarationsCloseOn],
  // The call applied to (A7), and the due reports whose day has passed not yet recorded overdue (A14, A15).
  ['callId', (v) => v.callId, 'text'],
  ['reportsPastDue', (v) => v.reports.pastDue],
  ['gradeHistory', gradeHistory],
  // A6.4: the operating entity's unified social credit code, the key other departments join on.
  ['operatorCreditCode', (v) => v.operator.creditCode, 'text'],
];

/** The whole file, as GET /standing.csv streams it a batch at a time (sendCsvExport). */
export function standingCsv(views: StandingView[]): string {
  return csvOf(STANDING_CSV_COLUMNS, views);
}
