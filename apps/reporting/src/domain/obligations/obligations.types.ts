import type {
  ActivityLoggedV1,
  ApplicationFactsV1,
  ActivityWithdrawnV1,
  MajorChangeEvaluatedV1,
  MajorChangeReportedV1,
  ObligationsEndedV1,
  ObligationsOpenedV1,
  OperationStartDeclaredV1,
  OperationStartedV1,
  OperationStartRejectedV1,
  OperatingDeadlinePassedV1,
  ReportCorrectedV1,
  ReportDueScheduledV1,
  ReportFiledV1,
  ReportKindV1,
  ReportOverdueV1,
  ReportingEventTypes as T,
} from '@nqpf/contracts';
import type { DomainEvent } from '@nqpf/domain';
import type { Policy } from '@nqpf/rules';

export type ObligationsEvent =
  | DomainEvent<typeof T.ObligationsOpened, ObligationsOpenedV1>
  | DomainEvent<typeof T.ReportDueScheduled, ReportDueScheduledV1>
  | DomainEvent<typeof T.OperationStartDeclared, OperationStartDeclaredV1>
  | DomainEvent<typeof T.OperationStartRejected, OperationStartRejectedV1>
  | DomainEvent<typeof T.OperationStarted, OperationStartedV1>
  | DomainEvent<typeof T.ActivityLogged, ActivityLoggedV1>
  | DomainEvent<typeof T.ActivityWithdrawn, ActivityWithdrawnV1>
  | DomainEvent<typeof T.ReportFiled, ReportFiledV1>
  | DomainEvent<typeof T.ReportCorrected, ReportCorrectedV1>
  | DomainEvent<typeof T.ReportOverdue, ReportOverdueV1>
  | DomainEvent<typeof T.MajorChangeReported, MajorChangeReportedV1>
  | DomainEvent<typeof T.MajorChangeEvaluated, MajorChangeEvaluatedV1>
  | DomainEvent<typeof T.ObligationsEnded, ObligationsEndedV1>
  | DomainEvent<typeof T.OperatingDeadlinePassed, OperatingDeadlinePassedV1>;

/** Every command carries the date it is taken on (Asia/Shanghai), read from the injectable clock. */
export type ObligationsCommand =
  | {
      kind: 'open';
      centerId: string;
      district: string;
      operatorId: string;
      recognizedOn: string;
      /** review.center-recognized `facts`, as the consumer validated it; none on recognitions before it. */
      facts?: ApplicationFactsV1 | null;
      policy: Policy;
      /** The version in force on a day: the report periods a center revoked before it was opened owed. */
      policyOn: (date: string) => Policy;
    }
  /** `policy`: the version recorded at recognition (A17.3a is decided under it, never today's). */
  | { kind: 'declare-operation-start'; startedOn: string; today: string; policy: Policy }
  /** `policy`: the version recorded at recognition (A17.3a is decided under it, never today's). */
  /**
   * `startedOn`: the declared start the office judges, when it says; another declared since is a 409.
   * `basis`: what the confirmation rests on, in writing (a site check, a document reference).
   */
  | { kind: 'confirm-operation-start'; startedOn?: string; basis: string; today: string; policy: Policy }
  /** `deadlinePassedAcknowledged`: the office knows a rejection after the deadline records it passed (A17.3a). */
  | {
      kind: 'reject-operation-start';
      startedOn?: string;
      reason: string;
      deadlinePassedAcknowledged?: boolean;
      today: string;
      policy: Policy;
    }
  /**
   * The stored A17.3a deadline fired: the day after declarations of a start made by it closed, or later;
   * `policy` as for the confirmation.
   */
  | { kind: 'pass-operating-deadline'; today: string; policy: Policy }
  | {
      kind: 'log-activity';
      activityId: string;
      type: string;
      heldOn: string;
      title: string;
      participants: number;
      evidenceHash: string;
      today: string;
    }
  | { kind: 'withdraw-activity'; activityId: string; reason: string; today: string }
  | {
      kind: 'file-report';
      reportKind: ReportKindV1;
      year: number;
      quarter?: number | null;
      content: Record<string, unknown>;
      documentHash?: string | null;
      /** Why a correction supersedes the previous revision: required for a correction, refused on a first filing. */
      reason?: string | null;
      /** The revision the filer read (0: none filed yet); given, a report filed since is a 409. */
      supersedesRevision?: number | null;
      today: string;
      policy: Policy;
    }
  | { kind: 'pass-report-deadline'; period: string; today: string; policy: Policy }
  | {
      kind: 'report-major-change';
      changeId: string;
      changes: string[];
      description: string;
      effectiveOn: string;
      newFacts: Record<string, unknown>;
      today: string;
      policy: Policy;
    }
  /** assessment.center-revoked; it may arrive before the recognition (another topic). */
  | {
      kind: 'end-obligations';
      centerId: string;
      endedOn: string;
      ruleId: string;
      reason: string;
      policy: Policy;
      /** The version in force on a day: each period the timer would have scheduled before the end. */
      policyOn: (date: string) => Policy;
    };

export interface ReportRecord {
  kind: ReportKindV1;
  period: string;
  dueOn: string;
  /** A deadline is stored for it (report-due-scheduled). */
  scheduled: boolean;
  deadlinePassed: boolean;
  overdue: boolean;
  /** contentKey: what the revision says (reportContentKey), so the same report sent again is told apart. */
  revisions: { revision: number; filedOn: string; late: boolean; contentKey: string }[];
}

export type ObligationsStatus = 'recognised' | 'operating' | 'ended';

export interface Ended {
  endedOn: string;
  ruleId: string;
  reason: string;
}

export interface OpenObligations {
  status: ObligationsStatus;
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  /** The policy version in force on the recognition date, recorded when the obligations opened. */
  policyVersion: string;
  /** A17.3a, inclusive, stored at recognition; null for obligations opened before it was recorded. */
  operatingDeadline: string | null;
  /**
   * A17.3a: the last day a start on or before the deadline may be declared (the deadline +
   * operationStartDeclarationDays), stored at recognition; null for obligations opened before it was.
   */
  startDeclarationsCloseOn: string | null;
  /** reporting.operating-deadline-passed, once recorded. */
  operatingDeadlinePassed: { passedOn: string; cause: OperatingDeadlinePassedV1['cause'] } | null;
  /** The art. 6 facts recognised (the A16 baseline); null when the recognition brought none. */
  recognizedFacts: Record<string, unknown> | null;
  /** Each major change's new facts, in the order reported (factsOn orders them by effectiveOn). */
  factChanges: { effectiveOn: string; newFacts: Record<string, unknown> }[];
  declaredStart: { startedOn: string; declaredOn: string } | null;
  /** The last refusal (by the district office or the bureau) of a declared start, with its reason, for the operator to read. */
  lastStartRejection: { startedOn: string; rejectedOn: string; reason: string } | null;
  startedOn: string | null;
  activitiesByYear: Record<number, number>;
  /** The activity id logged under each activityKey (day and title), so an activity counts once. */
  activityKeys: Record<string, string>;
  reports: Record<string, ReportRecord>;
  majorChanges: Record<string, { stillEligible: boolean }>;
  /** The change id reported under each majorChangeKey (kinds, effective day, facts), so one counts once. */
  majorChangeKeys: Record<string, string>;
  ended: Ended | null;
}

/** `ended`: a revocation read before the recognition, which the recognition then respects. */
export type ObligationsState = { status: 'none'; ended?: Ended } | OpenObligations;
