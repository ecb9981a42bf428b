import type { GradeV1 } from '@nqpf/contracts';
import type { StandingPhase, StandingRow, StandingStatus } from './standing.row';

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

/** A17.3b: the run of 不合格 in consecutive assessment years ending at the latest assessed year. */
export function consecutiveUnqualified(grades: Record<string, GradeV1>): number {
  const years = Object.keys(grades).map(Number);
  if (years.length === 0) return 0;
  let run = 0;
  for (let year = Math.max(...years); grades[String(year)] === '不合格'; year--) run++;
  return run;
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
  };
}
