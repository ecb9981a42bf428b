import type { Actor, Role } from '@nqpf/contracts';
import { daysBetween } from '@nqpf/rules';
import type { StandingRow } from './standing.row';

/** Support of a recognised center in the current calendar year (A12.1). */
export type SupportState = { supportYear: number } | 'ended' | null;

/** A standing as the API shows it: the stored row plus what depends on today's date. */
export interface StandingView {
  centerId: string;
  phase: StandingRow['phase'];
  status: StandingRow['status'];
  district: string | null;
  operator: { accountId: string | null; name: string | null; creditCode: string | null };
  callId: string | null;
  dates: {
    submittedOn: string | null;
    recognizedOn: string | null;
    operationStartedOn: string | null;
    revokedOn: string | null;
  };
  eligibility: {
    eligible: boolean | null;
    policyVersion: string | null;
    reasons: StandingRow['eligibilityReasons'];
  };
  rejection: StandingRow['rejection'];
  pendingObjections: string[];
  /**
   * A9.4, while `objection_pending`: the day (Asia/Shanghai) the first objection still pending was received;
   * null in any other phase, and while a pending objection's day is unknown (a row stored before it was kept).
   */
  objectionPendingSince: string | null;
  /** Days from `objectionPendingSince` to today (0 on the day received), counted when read; null with it. */
  objectionPendingDays: number | null;
  /**
   * A17.3a: days from the day the operator declared a start the district office has not judged yet (awaiting
   * `district:operation-start`) to today, 0 on that day, counted when read; null when none waits.
   */
  declaredStartPendingDays: number | null;
  /** Who must act next, on what (AWAITING). */
  awaiting: NonNullable<StandingRow['awaiting']>;
  grades: StandingRow['grades'];
  latestGrade: StandingRow['latestGrade'];
  consecutiveUnqualified: number;
  /**
   * `endedOn`: the obligations ended (revocation); the reports of periods ended by that day stay listed, due
   * or overdue until filed; later periods are not owed.
   * `pastDue`: of `due`, those whose due day has passed that reporting's timer has not recorded overdue yet
   * (it runs every few minutes; longer while reporting is down) — overdue in fact (A14, A15).
   */
  reports: {
    due: number;
    overdue: number;
    pastDue: number;
    endedOn: string | null;
    list: StandingRow['reports'][string][];
  };
  /** The A17.3a deadline as assessment decided it; null while no event has carried it (unknown). */
  operatingDeadline: string | null;
  /**
   * Days from today to the A17.3a deadline, 0 on the deadline day itself, negative after it (−3: it passed
   * three days ago; a start made by then may still be declared until `startDeclarationsCloseOn`); null once
   * operating or revoked, or while the deadline is unknown.
   */
  daysLeftToOperatingDeadline: number | null;
  /**
   * A17.3a: the last day a start made on or before the deadline may still be declared (the deadline +
   * operationStartDeclarationDays of the recognition's policy), as reporting recorded it; null while no
   * event has carried it (never computed here).
   */
  startDeclarationsCloseOn: string | null;
  support: SupportState;
  revocation: {
    rule: string | null;
    reason: string | null;
    explanation: { zh: string; en: string } | null;
  } | null;
}

/**
 * A17.3a: the deadline assessment decided from the policy in force (center-tracked, or an operating-deadline
 * decision); inclusive, so on the deadline day itself operation may still start. Null while no event has
 * carried it: the policy's operatingDeadlineYears is not guessed here.
 */
export function operatingDeadline(row: StandingRow): string | null {
  return row.operatingDeadline;
}

export function daysLeftToOperatingDeadline(row: StandingRow, today: string): number | null {
  const deadline = operatingDeadline(row);
  if (!deadline || row.operationStartedOn || row.revokedOn) return null;
  return daysBetween(today, deadline);
}

/**
 * A9.4: the day the first objection still pending was received, from the events alone; null unless the
 * center is in objection_pending, and when a pending objection's day is unknown (never a later one's day).
 */
export function objectionPendingSince(row: StandingRow): string | null {
  if (row.phase !== 'objection_pending' || row.pendingObjections.length === 0) return null;
  const days = row.pendingObjections.map((id) => row.objectionsReceivedOn?.[id]);
  if (days.some((day) => day === undefined)) return null;
  return (days as string[]).sort()[0]!;
}

/**
 * A17.3a: the day the operator declared the start the district office has not confirmed or rejected yet, as
 * reporting recorded it (`declaredOn`), while the center waits for that judgement (recognised, as
 * `district:operation-start`); null when none waits. The regulation sets the office no deadline, so how long
 * it has waited is the only measure (a row stored before declared starts were kept has none until a rebuild).
 */
export function declaredStartPendingSince(row: StandingRow): string | null {
  return row.declaredStart && row.phase === 'recognised' ? row.declaredStart.declaredOn : null;
}

export function supportState(row: StandingRow, today: string): SupportState {
  if (!row.recognizedOn || row.revokedOn || row.supportYears.length === 0) return null;
  const year = Number(today.slice(0, 4));
  const current = row.supportYears.find((s) => s.calendarYear === year);
  if (current) return { supportYear: current.supportYear };
  return year > Math.max(...row.supportYears.map((s) => s.calendarYear)) ? 'ended' : null;
}

/**
 * The operating entity's name: of the latest effective A16 change naming one, else as intake (or review's
 * recognition) recorded it. Also the ledger exports' `operatorName`.
 */
export function operatorNameOf(
  row: Pick<StandingRow, 'reportedOperatorName' | 'operatorName'>,
): string | null {
  return row.reportedOperatorName ?? row.operatorName;
}

/**
 * The operating entity's unified social credit code, as its name (operatorNameOf): of the latest effective
 * A16 change naming one, else as intake (or review's recognition) recorded it; null while unknown.
 */
export function operatorCreditCodeOf(
  row: Pick<StandingRow, 'reportedOperatorCreditCode' | 'operatorCreditCode'>,
): string | null {
  return row.reportedOperatorCreditCode ?? row.operatorCreditCode ?? null;
}

/** `today` is the Asia/Shanghai date of the injected clock's now. */
export function toStandingView(row: StandingRow, today: string): StandingView {
  const objectionSince = objectionPendingSince(row);
  const declaredSince = declaredStartPendingSince(row);
  return {
    centerId: row.centerId,
    phase: row.phase,
    status: row.status,
    district: row.district,
    operator: {
      accountId: row.operatorAccountId,
      name: operatorNameOf(row),
      creditCode: operatorCreditCodeOf(row),
    },
    callId: row.callId,
    dates: {
      submittedOn: row.submittedOn,
      recognizedOn: row.recognizedOn,
      operationStartedOn: row.operationStartedOn,
      revokedOn: row.revokedOn,
    },
    eligibility: {
      eligible: row.eligible,
      policyVersion: row.eligibilityPolicyVersion,
      reasons: row.eligibilityReasons,
    },
    rejection: row.rejection,
    pendingObjections: row.pendingObjections,
    objectionPendingSince: objectionSince,
    objectionPendingDays: objectionSince === null ? null : daysBetween(objectionSince, today),
    declaredStartPendingDays: declaredSince === null ? null : daysBetween(declaredSince, today),
    awaiting: row.awaiting ?? [],
    grades: row.grades,
    latestGrade: row.latestGrade,
    consecutiveUnqualified: row.consecutiveUnqualified,
    reports: {
      due: row.reportsDue,
      overdue: row.reportsOverdue,
      pastDue: Object.values(row.reports).filter(
        (r) => r.state === 'due' && r.dueOn !== null && r.dueOn < today,
      ).length,
      endedOn: row.obligationsEndedOn,
      list: Object.values(row.reports).sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '')),
    },
    operatingDeadline: operatingDeadline(row),
    daysLeftToOperatingDeadline: daysLeftToOperatingDeadline(row, today),
    startDeclarationsCloseOn: row.startDeclarationsCloseOn ?? null,
    support: supportState(row, today),
    revocation: row.revokedOn
      ? { rule: row.revocationRule, reason: row.revocationReason, explanation: row.revocationExplanation }
      : null,
  };
}

/**
 * Who reads which account filed the application (`operator.accountId`): the bureau and auditors, the
 * center's district office and its own operator. A finance officer pays the operating entity (its name);
 * which of its staff filed is not needed (minimum necessary), and the trail keeps it for the bureau.
 */
const SEES_THE_OPERATOR_ACCOUNT: readonly Role[] = ['city_bureau', 'auditor', 'district_office', 'operator'];

/**
 * A standing as `actor` may read it: `operator.accountId` `(withheld)` but for the roles above. The name and
 * credit code stay for every role that reads the standing: the operating entity's business registration,
 * public data, not a person's (and the key other departments join on).
 */
export function standingAsShownTo(actor: Pick<Actor, 'role'>, view: StandingView): StandingView {
  return SEES_THE_OPERATOR_ACCOUNT.includes(actor.role)
    ? view
    : { ...view, operator: { ...view.operator, accountId: '(withheld)' } };
}
