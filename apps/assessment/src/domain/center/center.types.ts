import type {
  AssessmentCompletedV1,
  AssessmentEventTypes as T,
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
  | DomainEvent<typeof T.CenterRevoked, CenterRevokedV1>;

/** A17.1: graded from indicator scores by the policy bands, or set directly by the bureau with a reason. */
export type AssessmentMethod =
  | { kind: 'score'; indicators: { name: string; score: string | number }[] }
  | { kind: 'direct'; grade: string; reason: string };

/** Every command carries the date it is taken on (Asia/Shanghai), read from the injectable clock. */
export type CenterCommand =
  | {
      kind: 'track';
      centerId: string;
      district: string;
      operatorId: string;
      recognizedOn: string;
      policy: Policy;
    }
  | { kind: 'record-operation-start'; startedOn: string; today: string; policy: Policy }
  | {
      kind: 'pass-operating-deadline';
      today: string;
      /** reporting.operation-start-declared still awaiting the district office; absent or null: none. */
      declaredStart?: { startedOn: string; declaredOn: string } | null;
      policy: Policy;
    }
  /** reporting.operation-start-rejected: the district office did not confirm the declared start. */
  | { kind: 'note-operation-start-rejected'; startedOn: string; today: string; policy: Policy }
  | {
      kind: 'assess';
      year: number;
      method: AssessmentMethod;
      /** A6.5 input: activities the center recorded for the year (reporting). */
      activityCount: number;
      /** A14/A15 input: how the year's reports were filed (reporting). */
      reportCompliance: ReportComplianceV1;
      today: string;
      policy: Policy;
    }
  | {
      kind: 'act-on-major-change';
      changeId: string;
      stillEligible: boolean;
      /** The A16 re-check decision reporting recorded (reporting.major-change-evaluated). */
      decision: DecisionRecordV1;
      today: string;
    };

export interface TrackedCenter {
  status: 'recognised' | 'operating' | 'revoked';
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  operatingDeadline: string;
  startedOn: string | null;
  grades: Record<number, GradeV1>;
  revocation: { revokedOn: string; ruleId: RevocationRuleV1; reason: CenterRevokedV1['reason'] } | null;
}

export type CenterState = { status: 'none' } | TrackedCenter;
