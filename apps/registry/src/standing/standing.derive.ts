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

/**
 * A17.3b: the longest run of 不合格 in consecutive assessment years, whatever order the years were assessed
 * in — the count assessment revokes on (decideConsecutiveUnqualified's longestRun), so a center revoked
 * under A17.3b shows at least consecutiveUnqualifiedToRevoke here.
 */
export function consecutiveUnqualified(grades: Record<string, GradeV1>): number {
  const years = Object.keys(grades)
    .map(Number)
    .sort((a, b) => a - b);
  let run = 0;
  let longest = 0;
  years.forEach((year, i) => {
    const continues = i > 0 && years[i - 1] === year - 1;
    run = grades[String(year)] === '不合格' ? (continues ? run + 1 : 1) : 0;
    longest = Math.max(longest, run);
  });
  return longest;
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
