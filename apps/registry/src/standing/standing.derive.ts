import type { GradeV1 } from '@nqpf/contracts';
import type { Awaiting, StandingPhase, StandingRow, StandingStatus } from './standing.row';

const REJECTED: StandingPhase[] = ['ineligible', 'not_listed', 'rejected'];

/** The later stage wins: revocation, then operation, then review's phase, then intake's. */
export function derivePhase(row: StandingRow): StandingPhase {
  if (row.revokedOn) return 'revoked';
  if (row.operationStartedOn) return 'operating';
  return row.reviewPhase ?? row.intakePhase ?? 'unknown';
}

export function deriveStatus(row: StandingRow, phase: StandingPhase): StandingStatus {
  if (phase === 'revoked') return 'revoked';
  if (row.recognizedOn || phase === 'operating' || phase === 'recognised') return 'recognised';
  if (REJECTED.includes(phase)) return 'rejected';
  return 'applying';
}

export function latestGrade(grades: Record<string, GradeV1>): GradeV1 | null {
  const years = Object.keys(grades).map(Number);
  return years.length === 0 ? null : grades[String(Math.max(...years))];
}

/**
 * A17.3b as it stands now: the run of 不合格 in consecutive assessment years ending with the latest year
 * assessed — 0 once a later year is 合格 or better, so one more 不合格 revokes when it shows
 * consecutiveUnqualifiedToRevoke − 1. (A run that revoked stays in the revocation's own reason: a year
 * assessed late, out of order, can revoke through a run that no longer ends the history.)
 */
export function consecutiveUnqualified(grades: Record<string, GradeV1>): number {
  const years = Object.keys(grades)
    .map(Number)
    .sort((a, b) => b - a);
  let run = 0;
  while (run < years.length && grades[String(years[run])] === '不合格' && years[run] === years[0]! - run)
    run++;
  return run;
}

/**
 * A14/A15: a report reporting recorded overdue and not filed — after a revocation too, for the periods lived
 * before it, which the row keeps and reporting still accepts (the others left the row). Not a report merely
 * due: reporting schedules each kind's next report as soon as the previous deadline passes, so one is due
 * nearly always, often for a period not ended; a due day that passed without the overdue recorded yet
 * depends on today, which is the view's (`pastDue`), not the row's.
 */
function reportsToFile(row: StandingRow): boolean {
  return Object.values(row.reports).some((r) => r.state === 'overdue');
}

/**
 * A17.3a: a recognised center not operating whose operator has no start waiting for the office's judgement
 * (none declared, or the last one rejected) and may still declare one: reporting has not recorded the
 * deadline passed, nor the obligations ended.
 */
function startToDeclare(row: StandingRow, phase: StandingPhase): boolean {
  return (
    phase === 'recognised' && !row.declaredStart && !row.operatingDeadlinePassedOn && !row.obligationsEndedOn
  );
}

/**
 * Who must act next, by phase: the district office endorses a submission (A8), the bureau accepts an
 * endorsed one, the operator resubmits one returned to it, the bureau decides the list once the panel has
 * reviewed (A9.2), publishes a listed one (A9.3) and rules on an objection (A9.4), both sign once publicity
 * passed (A9.4), the operator declares its start of operation (A17.3a) and the office judges it, the bureau
 * approves declared year-1 costs (A12.2), the operator files its reports (A14, A15). Only what the events
 * say: nothing here depends on today (a rebuild gives the same).
 */
export function awaiting(row: StandingRow, phase: StandingPhase): Awaiting[] {
  const waits: Awaiting[] = [];
  if (phase === 'submitted') waits.push('district:endorsement');
  if (phase === 'endorsed') waits.push('bureau:acceptance');
  if (phase === 'returned_by_district' || phase === 'returned_for_supplement')
    waits.push('operator:resubmission');
  if (phase === 'reviewed') waits.push('bureau:listing');
  if (phase === 'listed') waits.push('bureau:publicity');
  if (phase === 'objection_pending') waits.push('bureau:objection-ruling');
  if (phase === 'publicity_passed') {
    const signed = row.signedBy ?? [];
    if (!signed.includes('district')) waits.push('district:signature');
    if (!signed.includes('bureau')) waits.push('bureau:signature');
  }
  if (row.declaredStart && phase === 'recognised') waits.push('district:operation-start');
  if (row.year1DeclarationPending && phase !== 'revoked') waits.push('bureau:year1-costs');
  if (startToDeclare(row, phase)) waits.push('operator:operation-start');
  if (reportsToFile(row)) waits.push('operator:reports');
  return waits;
}

/** Recomputes the derived fields from the owned ones. */
export function withDerived(row: StandingRow): StandingRow {
  const phase = derivePhase(row);
  const reports = Object.values(row.reports);
  return {
    ...row,
    phase,
    status: deriveStatus(row, phase),
    latestGrade: latestGrade(row.grades),
    consecutiveUnqualified: consecutiveUnqualified(row.grades),
    reportsDue: reports.filter((r) => r.state === 'due').length,
    reportsOverdue: reports.filter((r) => r.state === 'overdue').length,
    awaiting: awaiting(row, phase),
  };
}
