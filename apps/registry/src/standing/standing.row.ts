import type { DecisionReasonV1, GradeV1, ReportKindV1 } from '@nqpf/contracts';

/** Phases of RULES.md "Standing of a center", application side then life after recognition. */
export const STANDING_PHASES = [
  'draft',
  'submitted',
  'endorsed',
  'returned_by_district',
  'accepted',
  'returned_for_supplement',
  'eligible',
  'ineligible',
  'reviewed',
  'listed',
  'not_listed',
  'in_publicity',
  'objection_pending',
  'publicity_passed',
  'rejected',
  'recognised',
  'operating',
  'revoked',
  'unknown',
] as const;
export type StandingPhase = (typeof STANDING_PHASES)[number];

export const STANDING_STATUSES = ['applying', 'rejected', 'recognised', 'revoked'] as const;

/** What a center waits for, and from whom: each party finds its work with `?awaiting=` (derived). */
export const AWAITING = [
  'district:endorsement',
  'bureau:acceptance',
  'district:signature',
  'bureau:signature',
  'district:operation-start',
  'bureau:year1-costs',
  'operator:resubmission',
  'bureau:listing',
  'bureau:publicity',
  'bureau:objection-ruling',
  'operator:operation-start',
  'operator:reports',
] as const;
export type Awaiting = (typeof AWAITING)[number];
export type StandingStatus = (typeof STANDING_STATUSES)[number];

export type ReportState = 'due' | 'overdue' | 'filed' | 'filed_late';

export interface ReportEntry {
  kind: ReportKindV1;
  period: string;
  dueOn: string | null;
  state: ReportState;
}

/**
 * One center's standing as stored. Each field is written by the events of one topic (noted per group), so
 * events of different topics may interleave in any order and still give the same row; `phase`, `status`,
 * the grade summary and the report counts are derived from the owned fields after every event.
 */
export interface StandingRow {
  centerId: string;
  // intake
  intakePhase: StandingPhase | null;
  callId: string | null;
  operatorAccountId: string | null;
  operatorName: string | null;
  /** A16: the operating entity of the latest effective major change naming one (shown before intake's). */
  reportedOperatorName?: string;
  /** The effective day of that change: a change effective earlier, reported later, does not replace it. */
  reportedOperatorOn?: string;
  /**
   * The operating entity's unified social credit code (A6.4), from the same events as `operatorName`;
   * absent in rows written before it was kept (a rebuild fills it).
   */
  operatorCreditCode?: string | null;
  /** A16: the credit code of the latest effective major change naming one (shown before intake's). */
  reportedOperatorCreditCode?: string;
  /** The effective day of that change, as `reportedOperatorOn` for the name. */
  reportedOperatorCreditCodeOn?: string;
  district: string | null;
  submittedOn: string | null;
  // review
  reviewPhase: StandingPhase | null;
  eligible: boolean | null;
  eligibilityReasons: DecisionReasonV1[];
  eligibilityPolicyVersion: string | null;
  rejection: { stage: string; ruleIds: string[]; reasons: string[] } | null;
  /** A9.1 so far: experts assigned now, and who of all ever assigned reviewed and inspected (absent in rows
   * written before it was kept: a rebuild fills it). */
  reviewProgress?: ReviewProgress;
  pendingObjections: string[];
  /**
   * A9.4: the day (Asia/Shanghai) each objection still pending was received (review's `raisedAt`), by
   * objection id; a ruled one leaves it. Absent in rows written before it was kept (a rebuild fills it).
   */
  objectionsReceivedOn?: Record<string, string>;
  publicityLastDay: string | null;
  publicityEnded: boolean;
  /** A9.4: the parties who signed the agreement so far (absent in rows written before it was kept). */
  signedBy?: ('bureau' | 'district')[];
  recognizedOn: string | null;
  // reporting (operation start also from assessment: the same confirmed date)
  operationStartedOn: string | null;
  /** A start the operator declared that the district office has not judged yet (absent in older rows). */
  declaredStart?: { startedOn: string; declaredOn: string } | null;
  /**
   * A17.3a: the last day a start made on or before the operating deadline may still be declared, as
   * reporting recorded it (obligations-opened, a declaration's decision, operating-deadline-passed); null
   * until one carries it, absent in rows written before it was kept (a rebuild fills it).
   */
  startDeclarationsCloseOn?: string | null;
  /**
   * A17.3a: the day reporting recorded the deadline passed without a start (operating-deadline-passed): no
   * start may be declared after it; null until then, absent in rows written before it was kept.
   */
  operatingDeadlinePassedOn?: string | null;
  reports: Record<string, ReportEntry>;
  /**
   * reporting.obligations-ended (revocation): only the reports of periods ended by that day stay owed (due or
   * overdue until filed); those of later periods were dropped.
   */
  obligationsEndedOn: string | null;
  // assessment
  /** A17.3a as assessment decided it (policy in force at recognition); null until an event carries it. */
  operatingDeadline: string | null;
  grades: Record<string, GradeV1>;
  revokedOn: string | null;
  revocationRule: string | null;
  revocationReason: string | null;
  revocationExplanation: { zh: string; en: string } | null;
  // finance
  supportYears: { supportYear: number; calendarYear: number }[];
  /** A12.2: year-1 costs declared (the id) that the bureau has not approved yet; absent in older rows. */
  year1DeclarationPending?: string | null;
  // derived from the above
  phase: StandingPhase;
  status: StandingStatus;
  latestGrade: GradeV1 | null;
  consecutiveUnqualified: number;
  reportsDue: number;
  reportsOverdue: number;
  /** What the center waits for now, and from whom (AWAITING); absent in rows written before it was kept. */
  awaiting?: Awaiting[];
}

export interface ReviewProgress {
  experts: string[];
  reviewedBy: string[];
  inspectedBy: string[];
}

export function emptyStanding(centerId: string): StandingRow {
  return {
    centerId,
    intakePhase: null,
    callId: null,
    operatorAccountId: null,
    operatorName: null,
    operatorCreditCode: null,
    district: null,
    submittedOn: null,
    reviewPhase: null,
    eligible: null,
    eligibilityReasons: [],
    eligibilityPolicyVersion: null,
    rejection: null,
    reviewProgress: { experts: [], reviewedBy: [], inspectedBy: [] },
    pendingObjections: [],
    objectionsReceivedOn: {},
    publicityLastDay: null,
    publicityEnded: false,
    signedBy: [],
    recognizedOn: null,
    operationStartedOn: null,
    declaredStart: null,
    startDeclarationsCloseOn: null,
    operatingDeadlinePassedOn: null,
    reports: {},
    obligationsEndedOn: null,
    operatingDeadline: null,
    grades: {},
    revokedOn: null,
    revocationRule: null,
    revocationReason: null,
    revocationExplanation: null,
    supportYears: [],
    year1DeclarationPending: null,
    phase: 'unknown',
    status: 'applying',
    latestGrade: null,
    consecutiveUnqualified: 0,
    reportsDue: 0,
    reportsOverdue: 0,
    awaiting: [],
  };
}
