import type { ApplicationFactsV1, DecisionRecordV1 } from './intake';

/** Events published on nqpf.reporting.events. Wire names and versions are stable; see docs/contracts. */
export const ReportingEventTypes = {
  ObligationsOpened: 'reporting.obligations-opened',
  ReportDueScheduled: 'reporting.report-due-scheduled',
  OperationStartDeclared: 'reporting.operation-start-declared',
  OperationStartRejected: 'reporting.operation-start-rejected',
  OperationStarted: 'reporting.operation-started',
  ActivityLogged: 'reporting.activity-logged',
  ActivityWithdrawn: 'reporting.activity-withdrawn',
  ReportFiled: 'reporting.report-filed',
  ReportCorrected: 'reporting.report-corrected',
  ReportOverdue: 'reporting.report-overdue',
  MajorChangeReported: 'reporting.major-change-reported',
  MajorChangeEvaluated: 'reporting.major-change-evaluated',
  ObligationsEnded: 'reporting.obligations-ended',
  OperatingDeadlinePassed: 'reporting.operating-deadline-passed',
} as const;

/** 'quarterly' periods are named 'YYYY-Qn', 'annual' periods 'YYYY'. */
export type ReportKindV1 = 'quarterly' | 'annual';

/** v1. The center was recognised (review.center-recognized): its A14–A16 obligations start. */
export interface ObligationsOpenedV1 {
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  policyVersion: string;
  /**
   * The art. 6 facts at recognition (review.center-recognized `facts`), null when the recognition carried
   * none (recorded before it did); the baseline for A16 re-checks.
   */
  facts: ApplicationFactsV1 | null;
  /**
   * A17.3a: recognition + operatingDeadlineYears of `policyVersion`, inclusive — the one stored operating
   * deadline, which the start confirmations and reporting.operating-deadline-passed use. Absent from
   * obligations opened before it was recorded (then decided from `policyVersion` when first needed).
   */
  operatingDeadline?: string;
  /**
   * A17.3a: the last day a start on or before `operatingDeadline` may be declared — the deadline +
   * operationStartDeclarationDays of `policyVersion`, inclusive; reporting.operating-deadline-passed comes
   * after it. Absent from obligations opened before it was recorded (then decided from `policyVersion`).
   */
  startDeclarationsCloseOn?: string;
}

/** v1. A14/A15: a report is due for a period; a stored deadline fires the day after `dueOn`. */
export interface ReportDueScheduledV1 {
  centerId: string;
  kind: ReportKindV1;
  period: string;
  periodEnd: string;
  dueOn: string;
  /** The period whose deadline passing scheduled this one; null for the first of its kind. */
  follows: string | null;
  /** The outcome's `quarterEnd`: the quarter's last day, on quarterly reports only. */
  decision: DecisionRecordV1<unknown, { dueDate: string; quarterEnd?: string }>;
}

/** v1. The operator declares it started operating (投入运营) on `startedOn`; the district office confirms. */
export interface OperationStartDeclaredV1 {
  centerId: string;
  startedOn: string;
  declaredOn: string;
  /**
   * A17.3a as the declaration was taken (libs/rules decideOperationStartDeclaration, rule
   * operation-start-declaration, under the recognition's policy): the start is on or before the outcome's
   * `deadline` and declared by its `declarationsCloseOn`. Absent from declarations recorded before it was
   * kept (a start was then declared by the deadline).
   */
  decision?: DecisionRecordV1<
    { recognizedOn: string; operationStartedOn: string; declaredOn: string },
    { deadline: string; declarationDays: number; declarationsCloseOn: string; accepted: boolean }
  >;
}

/** v1. The district office did not confirm the declared start, with its written reason. */
export interface OperationStartRejectedV1 {
  centerId: string;
  startedOn: string;
  rejectedOn: string;
  reason: string;
}

/** v1. The district office confirmed the start of operation; `decision` is A17.3a on the start date. */
export interface OperationStartedV1 {
  centerId: string;
  startedOn: string;
  declaredOn: string;
  confirmedOn: string;
  decision: DecisionRecordV1<unknown, { deadline: string; status: string; revoke: boolean }>;
  /**
   * What the district office's confirmation rests on, as it wrote it (a site check, a document reference).
   * Optional (added within v1): absent from confirmations recorded before it.
   */
  basis?: string;
}

export const ACTIVITY_TYPES_V1 = ['roadshow', 'matchmaking', 'visit', 'other'] as const;
export type ActivityTypeV1 = (typeof ACTIVITY_TYPES_V1)[number];

/** v1. A6.5: one activity held by the center, with the SHA-256 of its evidence. */
export interface ActivityLoggedV1 {
  centerId: string;
  activityId: string;
  type: ActivityTypeV1;
  heldOn: string;
  title: string;
  participants: number;
  evidenceHash: string;
  /** The center's count of activities in the calendar year of `heldOn`, this one included. */
  yearCount: number;
}

/** v1. A6.5: the operator withdrew an activity logged by mistake (a duplicate, a wrong record), with why. */
export interface ActivityWithdrawnV1 {
  centerId: string;
  activityId: string;
  heldOn: string;
  reason: string;
  withdrawnOn: string;
  /** The center's count of activities in the calendar year of `heldOn`, without this one. */
  yearCount: number;
}

/** v1. Quarterly (A14: major activities, important results) or annual (A15) report content. */
export type ReportContentV1 =
  | { kind: 'quarterly'; majorActivities: string; importantResults: string }
  | { kind: 'annual'; targetsMet: string; fundsUse: string; problems: string; nextYearPlan: string };

/** v1. The first report for a period; `late` when filed after its due date (A14/A15), still accepted. */
export interface ReportFiledV1 {
  centerId: string;
  kind: ReportKindV1;
  period: string;
  filedOn: string;
  dueOn: string;
  late: boolean;
  revision: 1;
  content: ReportContentV1;
  documentHash: string | null;
  decision: DecisionRecordV1<unknown, { overdue: boolean; filed: boolean }>;
}

/** v1. A later report for the same period supersedes the previous revision; history is kept. */
export interface ReportCorrectedV1 {
  centerId: string;
  kind: ReportKindV1;
  period: string;
  filedOn: string;
  revision: number;
  supersedesRevision: number;
  content: ReportContentV1;
  documentHash: string | null;
  /**
   * Why this revision supersedes the previous one: every correction says it now; null only in corrections
   * recorded before that was required.
   */
  reason: string | null;
}

/**
 * v1. A14/A15: the due date passed with no report filed; the report may still be filed (late). Overdue from
 * the day after `dueOn`; `asOf` is the Shanghai day reporting's timer recorded it — later when the service
 * was down across the deadline (it catches up, once per report).
 */
export interface ReportOverdueV1 {
  centerId: string;
  kind: ReportKindV1;
  period: string;
  dueOn: string;
  asOf: string;
  decision: DecisionRecordV1<unknown, { overdue: boolean; filed: boolean }>;
}

export const MAJOR_CHANGE_KINDS_V1 = [
  'operator_changed',
  'investor_ended_cooperation',
  'area_changed',
  'direction_changed',
] as const;
export type MajorChangeKindV1 = (typeof MAJOR_CHANGE_KINDS_V1)[number];

/** v1. A16: the operator reported a major change in writing, with the new facts. */
export interface MajorChangeReportedV1 {
  centerId: string;
  changeId: string;
  changes: MajorChangeKindV1[];
  description: string;
  effectiveOn: string;
  reportedOn: string;
  /**
   * The facts that changed (a partial art. 6 facts object), as reported. `premises.buildingAreaM2` is a
   * decimal string of m² with up to two places, as in ApplicationFactsV1; a change recorded before that was
   * required may carry it as a JSON number.
   */
  newFacts: Record<string, unknown>;
}

/**
 * v1. A16: the facts after the change re-checked against art. 6, beside the facts before it (decision
 * `major-change`). Not still eligible → assessment revokes.
 */
export interface MajorChangeEvaluatedV1 {
  centerId: string;
  changeId: string;
  /** The recognition stands: no criterion fails because of the change (before rules-2026.4: none fails). */
  stillEligible: boolean;
  /** The criteria the change made fail (rules-2026.4; before, every criterion failing after it). */
  failed: string[];
  evaluatedOn: string;
  /** Its outcome also lists every criterion failing after the change (failingAfterChange, rules-2026.4). */
  decision: DecisionRecordV1<
    unknown,
    { stillEligible: boolean; revoke: boolean; failed: string[]; failingAfterChange?: string[] }
  >;
}

/**
 * v1. A17.3a as a fact of this stream: the inclusive operating deadline stored at recognition ended with no
 * start on or before it — none confirmed, and none declared on or before it still awaiting the district
 * office. Recorded once, after the start events of the center (same stream, same partition): on the day
 * after the deadline by the stored deadline ('deadline'), or, when a start declared in time was still
 * awaiting the office then, on the day the office rejects it ('start-rejected'). Assessment decides the
 * revocation on it (assessment.center-revoked, rule A17.3a; revokedOn the day after operatingDeadline for
 * 'deadline', passedOn for 'start-rejected').
 */
export interface OperatingDeadlinePassedV1 {
  centerId: string;
  recognizedOn: string;
  /** The deadline stored at recognition (obligations-opened), inclusive. */
  operatingDeadline: string;
  /** The policy version the deadline was decided under, at recognition. */
  policyVersion: string;
  /**
   * The day the fact was recorded: after the deadline — for `deadline`, after `startDeclarationsCloseOn`
   * (a start made by the deadline could be declared until then); the revocation is still dated the day
   * after the deadline.
   */
  passedOn: string;
  cause: 'deadline' | 'start-rejected';
  /** A start confirmed after the deadline (too late), else null. */
  startedOn: string | null;
  /** The declared start: still awaiting the office but after the deadline, or the one just rejected; else null. */
  declaredStart: { startedOn: string; declaredOn: string } | null;
  /**
   * The last day a start on or before the deadline could be declared (the deadline +
   * operationStartDeclarationDays of `policyVersion`). Absent from facts recorded before there was one
   * (they were recorded the day after the deadline).
   */
  startDeclarationsCloseOn?: string;
}

/** v1. The center was revoked (assessment.center-revoked): no further obligations, commands refused. */
export interface ObligationsEndedV1 {
  centerId: string;
  endedOn: string;
  ruleId: string;
  reason: string;
}
