import type {
  AssessmentCompletedV1,
  AssessmentEventTypes as T,
  AssessmentRevisedV1,
  CenterRevokedV1,
  CenterTrackedV1,
  DecisionRecordV1,
  GradeV1,
  OperationStartRecordedV1,
  ReportComplianceV1,
  RevocationRuleV1,
} from '@nqpf/contracts';
import type { DomainEvent } from '@nqpf/domain';
import type { Policy } from '@nqpf/rules';

export type CenterEvent =
  | DomainEvent<typeof T.CenterTracked, CenterTrackedV1>
  | DomainEvent<typeof T.OperationStartRecorded, OperationStartRecordedV1>
  | DomainEvent<typeof T.AssessmentCompleted, AssessmentCompletedV1>
  | DomainEvent<typeof T.AssessmentRevised, AssessmentRevisedV1>
  | DomainEvent<typeof T.CenterRevoked, CenterRevokedV1>;

/** A17.1: graded from indicator scores by the policy bands, or set directly by the bureau with a reason. */
export type AssessmentMethod =
  | { kind: 'score'; indicators: { name: string; score: string | number }[] }
  | { kind: 'direct'; grade: string; reason: string };

/**
 * Every command carries the dates its facts carry (Asia/Shanghai). `recognitionPolicy` / the A17.3a
 * commands' `policy`: the version in force on the recognition date, the one recorded when the center was
 * tracked (A17.3a and the A12.1 schedule are decided under it, never under a later one).
 */
export type CenterCommand =
  | {
      kind: 'track';
      centerId: string;
      district: string;
      operatorId: string;
      recognizedOn: string;
      policy: Policy;
    }
  /** reporting.operation-started: the district office confirmed the start on `confirmedOn`. */
  | { kind: 'record-operation-start'; startedOn: string; confirmedOn: string; policy: Policy }
  /** reporting.operating-deadline-passed: the stored deadline ended with no start in time (reporting's fact). */
  | {
      kind: 'act-on-operating-deadline-passed';
      operatingDeadline: string;
      passedOn: string;
      /** deadline: no start by it (revoked from the day after it); start-rejected: known on passedOn. */
      cause: 'deadline' | 'start-rejected';
      policy: Policy;
    }
  | {
      kind: 'assess';
      year: number;
      method: AssessmentMethod;
      /** A6.5 input: activities the center recorded for the year (reporting). */
      activityCount: number;
      /** A14/A15 input: how the year's reports were filed (reporting). */
      reportCompliance: ReportComplianceV1;
      today: string;
      /** In force on the assessment day: grade bands (A17.1), minActivitiesPerYear (A6.5), A17.3b. */
      policy: Policy;
      recognitionPolicy: Policy;
    }
  /**
   * A17.1, a correction: the bureau corrects the grade recorded for `year` (keyed wrongly), with a written
   * reason; the grade is set directly or graded again from corrected scores, as an assessment takes them.
   */
  | {
      kind: 'revise-assessment';
      year: number;
      method: AssessmentMethod;
      reason: string;
      today: string;
      /** In force on the day the year was assessed: the bands corrected scores are graded by (A17.1). */
      gradePolicy: Policy;
      /** In force today: A17.3b on the corrected history, as an assessment today would decide it. */
      policy: Policy;
    }
  | {
      kind: 'act-on-major-change';
      changeId: string;
      stillEligible: boolean;
      /** The A16 re-check decision reporting recorded (reporting.major-change-evaluated). */
      decision: DecisionRecordV1;
      /** The day reporting re-checked the facts: the revocation's day. */
      evaluatedOn: string;
    };

export interface TrackedCenter {
  status: 'recognised' | 'operating' | 'revoked';
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  /** The policy version in force on the recognition date, recorded when tracked. */
  policyVersion: string;
  operatingDeadline: string;
  /** A12.1, fixed at recognition; null for centers tracked before it was recorded. */
  supportYears: { supportYear: number; calendarYear: number }[] | null;
  startedOn: string | null;
  grades: Record<number, GradeV1>;
  /** Per year graded: the day it was assessed and the support year it was (null outside support). */
  assessed: Record<number, { assessedOn: string; supportYear: number | null }>;
  revocation: { revokedOn: string; ruleId: RevocationRuleV1; reason: CenterRevokedV1['reason'] } | null;
}

export type CenterState = { status: 'none' } | TrackedCenter;
