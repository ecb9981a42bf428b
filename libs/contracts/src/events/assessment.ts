import type { DecisionReasonV1, DecisionRecordV1 } from './intake';

/** Events published on nqpf.assessment.events. Wire names and versions are stable; see docs/contracts. */
export const AssessmentEventTypes = {
  CenterTracked: 'assessment.center-tracked',
  OperationStartRecorded: 'assessment.operation-start-recorded',
  AssessmentCompleted: 'assessment.assessment-completed',
  AssessmentRevised: 'assessment.assessment-revised',
  CenterRevoked: 'assessment.center-revoked',
} as const;

export type GradeV1 = '优秀' | '良好' | '合格' | '不合格';

export type OperatingDeadlineOutcomeV1 = {
  deadline: string;
  status: 'started-in-time' | 'pending' | 'missed';
  revoke: boolean;
};

/**
 * v1. The center was recognised (review.center-recognized); assessment now follows it, with the A17.3a
 * operating deadline (inclusive) under the policy in force on the recognition date. Whether it passed
 * without a start is reporting's fact (reporting.operating-deadline-passed), decided on here.
 */
export interface CenterTrackedV1 {
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  operatingDeadline: string;
  policyVersion: string;
  decision: DecisionRecordV1<unknown, OperatingDeadlineOutcomeV1>;
  /**
   * A12.1: the support years fixed at recognition under `policyVersion` (year n = calendar year recognition
   * year + n − 1); the assessment of a calendar year names its support year from these. Absent from centers
   * tracked before it was recorded.
   */
  supportYears?: { supportYear: number; calendarYear: number }[];
}

/** v1. Operation started (reporting.operation-started), checked against the A17.3a deadline. */
export interface OperationStartRecordedV1 {
  centerId: string;
  startedOn: string;
  decision: DecisionRecordV1<unknown, OperatingDeadlineOutcomeV1>;
}

/** v1. How the year's reports were filed (A14/A15), shown as an input to the assessment. */
export interface ReportComplianceV1 {
  due: number;
  filedOnTime: number;
  filedLate: number;
  missing: number;
}

/**
 * v1. A6.5 checked at the annual assessment: the activities recorded for the year (`measured`) against
 * `minActivitiesPerYear` of `policyVersion` (`threshold`, ">= 100"). Recorded and shown; the regulation
 * attaches no consequence of its own to a shortfall (the bureau weighs it in the grade, A17.1).
 */
export interface ActivityCheckV1 extends DecisionReasonV1 {
  ruleId: 'A6.5';
  criterion: 'annualActivities';
  measured: number;
  threshold: string;
  policyVersion: string;
}

/**
 * v1. A17.1: the bureau's annual assessment of a center for `year`. Graded from indicator scores by the
 * policy bands (`decision` is the grade decision), or set directly with a written `reason` (`decision`
 * null). `revocationCheck` is the A17.3b decision taken with this grade.
 */
export interface AssessmentCompletedV1 {
  centerId: string;
  year: number;
  /** A12.1: support year n = year − recognition year + 1; null outside the support period. */
  supportYear: number | null;
  grade: GradeV1;
  method: 'score' | 'direct';
  indicators: { name: string; score: string }[] | null;
  score: string | null;
  reason: string | null;
  activityCount: number;
  /** A6.5 on `activityCount`; absent from assessments recorded before it. */
  activityCheck?: ActivityCheckV1;
  reportCompliance: ReportComplianceV1;
  assessedOn: string;
  decision: DecisionRecordV1<unknown, { grade: GradeV1 }> | null;
  revocationCheck: DecisionRecordV1<
    unknown,
    {
      revoke: boolean;
      revokedAfterYear: number | null;
      longestRun: number;
    }
  >;
}

/**
 * v1. A17.1, a correction: the bureau corrected the grade recorded for `year` (keyed wrongly), saying why in
 * writing (`reason`). `grade` replaces `previousGrade` in the grade history. It is set directly (`method`
 * direct: `gradeReason` is the grade's own written reason, `decision` null) or graded from corrected
 * indicator scores (`decision`) under the policy the year was assessed under: the one in force on
 * `assessedOn`, the day of the assessment corrected. `revocationCheck` is A17.3b on the corrected history,
 * decided on `revisedOn`; when it revokes, assessment.center-revoked follows in the same append. A
 * revocation is final: a center revoked is never revised. Finance decides the grant the year's grade
 * fixed (support year `supportYear` + 1, A12.3) again.
 */
export interface AssessmentRevisedV1 {
  centerId: string;
  year: number;
  /** A12.1: the support year `year` was, as its assessment named it; null outside the support period. */
  supportYear: number | null;
  previousGrade: GradeV1;
  grade: GradeV1;
  method: 'score' | 'direct';
  indicators: { name: string; score: string }[] | null;
  score: string | null;
  /** A direct grade's written reason (A17.1); null when graded from scores. */
  gradeReason: string | null;
  /** Why the grade was corrected, as the bureau wrote it. */
  reason: string;
  /** The day the corrected assessment was recorded: its policy's bands grade the scores. */
  assessedOn: string;
  revisedOn: string;
  decision: DecisionRecordV1<unknown, { grade: GradeV1 }> | null;
  revocationCheck: AssessmentCompletedV1['revocationCheck'];
}

export type RevocationRuleV1 = 'A16' | 'A17.3a' | 'A17.3b';

/**
 * v1. Recognition revoked, finally: no further support, reports or assessments. `decision` is the
 * automated decision that required it (major change re-check, operating deadline, consecutive grades).
 */
export interface CenterRevokedV1 {
  centerId: string;
  revokedOn: string;
  ruleId: RevocationRuleV1;
  reason:
    'no-longer-eligible-after-major-change' | 'not-operating-within-deadline' | 'consecutive-unqualified';
  explanation: { zh: string; en: string };
  decision: DecisionRecordV1;
}
