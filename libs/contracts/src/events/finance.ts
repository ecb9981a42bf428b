import type { GradeV1, OperatingDeadlineOutcomeV1 } from './assessment';
import type { DecisionRecordV1 } from './intake';

/** Events published on nqpf.finance.events. Wire names and versions are stable; see docs/contracts. */
export const FinanceEventTypes = {
  PolicyPublished: 'finance.policy-published',
  SubsidyAccountOpened: 'finance.subsidy-account-opened',
  Year1CostsDeclared: 'finance.year1-costs-declared',
  Year1CostsApproved: 'finance.year1-costs-approved',
  Year1ApprovalRevised: 'finance.year1-approval-revised',
  AnnualGrantRevised: 'finance.annual-grant-revised',
  GrantDecided: 'finance.grant-decided',
  SupportStopped: 'finance.support-stopped',
  GrantCancelled: 'finance.grant-cancelled',
  CancellationReduced: 'finance.cancellation-reduced',
  DisbursementRecorded: 'finance.disbursement-recorded',
  ExpenditureAccepted: 'finance.expenditure-accepted',
  ExpenditureRejected: 'finance.expenditure-rejected',
  EntryReversed: 'finance.entry-reversed',
} as const;

/**
 * Money on the wire: a decimal string of integer fen (分), e.g. '300000000' for 3,000,000.00 CNY.
 * Never a JSON number (it cannot hold every amount) and never yuan with decimals.
 */
export type FenTextV1 = string;

/** libs/rules `subsidy-year1` (A12.2). */
export type Year1SubsidyDecisionV1 = DecisionRecordV1<
  { approvedCostsFen: FenTextV1 },
  { amountFen: FenTextV1; granted: boolean; capped: boolean }
>;

/** libs/rules `subsidy-annual` (A12.3, A17.2). */
export type AnnualSubsidyDecisionV1 = DecisionRecordV1<
  { supportYear: number; previousYearGrade: GradeV1 | null; revoked: boolean },
  { amountFen: FenTextV1; granted: boolean }
>;

/**
 * libs/rules `expenditure` (A13). `disbursedFen`: what the spending may draw on — the year's disbursements,
 * after a revocation less those paid after it (finance.support-stopped paidAfterRevocation). From
 * rules-2026.8 also the support-year window (A13:withinSupportYear): `spentOn`, the `supportYear` whose funds
 * pay it and its `calendarYear` (A12.1), and the day decided (`decidedOn`); absent from decisions before.
 */
export type ExpenditureDecisionV1 = DecisionRecordV1<
  {
    category: string;
    amountFen: FenTextV1;
    disbursedFen: FenTextV1;
    spentFen: FenTextV1;
    spentOn?: string;
    supportYear?: number;
    calendarYear?: number;
    decidedOn?: string;
  },
  { accepted: boolean; rejectedFor: string[] }
>;

/**
 * v1. The bureau published a subsidy policy version (the libs/rules policy schema, normalised), in force
 * from `effectiveFrom` until a later version takes over. Stream: the policy book `finance-policy`.
 */
export interface PolicyPublishedV1 {
  version: string;
  effectiveFrom: string;
  publishedOn: string;
  policy: Record<string, unknown>;
  reason: string;
}

/** v1. A12.1: a recognised center's subsidy account, with its support years and their calendar years. */
export interface SubsidyAccountOpenedV1 {
  centerId: string;
  district: string;
  /**
   * The operator's account as the recognition recorded it (a record, not a permission: every account whose
   * token carries this center's `center_id` acts for its operator — docs/security.md).
   */
  operatorId: string;
  recognizedOn: string;
  policyVersion: string;
  supportYears: { supportYear: number; calendarYear: number }[];
}

/**
 * v1. A12.2: the operator declared year-1 construction and operating costs, by category, with evidence.
 * Declared again before the bureau's decision, the later declaration replaces the pending one.
 */
export interface Year1CostsDeclaredV1 {
  centerId: string;
  declarationId: string;
  declaredOn: string;
  items: { category: string; amountFen: FenTextV1; evidenceHash: string; description: string }[];
  totalFen: FenTextV1;
  /**
   * The pending declaration this one replaces. Optional (added within v1): present, with `reason`, on a
   * declaration that replaced a pending one; absent from a first declaration and from every declaration
   * recorded before it (a replacement then shows only as a later declaration before any approval).
   */
  replacesDeclarationId?: string;
  /** Why the operator replaced the pending declaration, as written; with `replacesDeclarationId` only. */
  reason?: string;
}

/** v1. Human decision: the bureau approved the declared costs, possibly less with a written reason. */
export interface Year1CostsApprovedV1 {
  centerId: string;
  declarationId: string;
  approvedOn: string;
  declaredFen: FenTextV1;
  approvedFen: FenTextV1;
  reason: string | null;
}

/**
 * v1. The bureau corrects its year-1 approval (an amount keyed wrongly, a cost wrongly left out): the
 * approved costs become `approvedFen`, the year-1 grant `previousGrantEntryId` is reversed by the entry
 * `reversalEntryId`, and a finance.grant-decided with the grant on the corrected costs follows in the same
 * append (decided under the policy in force on `revisedOn`).
 */
export interface Year1ApprovalRevisedV1 {
  centerId: string;
  declarationId: string;
  revisedOn: string;
  declaredFen: FenTextV1;
  previousApprovedFen: FenTextV1;
  approvedFen: FenTextV1;
  reason: string;
  previousGrantEntryId: string;
  previousGrantFen: FenTextV1;
  reversalEntryId: string;
}

/**
 * v1. A12.3, a correction: assessment corrected the grade of `assessedYear` (assessment.assessment-revised,
 * from `previousGrade` to `grade`, with the bureau's `reason`), so the grant that grade decided for
 * `supportYear` is decided again. The grant `previousGrantEntryId` (`previousGrantFen`) is taken back by the
 * entry `reversalEntryId`, and a finance.grant-decided on `grade`, under `policyVersion` (the version the
 * grant it replaces was decided under), follows in the same append. Never below what `supportYear` has
 * already disbursed: finance holds the correction until those disbursements are corrected.
 */
export interface AnnualGrantRevisedV1 {
  centerId: string;
  supportYear: number;
  calendarYear: number;
  assessedYear: number;
  assessedSupportYear: number;
  previousGrade: GradeV1;
  grade: GradeV1;
  revisedOn: string;
  reason: string;
  previousGrantEntryId: string;
  previousGrantFen: FenTextV1;
  policyVersion: string;
  reversalEntryId: string;
}

export type GrantBasisV1 =
  | { kind: 'year1-costs'; declarationId: string; approvedFen: FenTextV1 }
  | { kind: 'assessment'; assessedYear: number; assessedSupportYear: number; grade: GradeV1 };

/**
 * v1. Automated decision: the grant of one support year, with the policy version in force on `decidedOn`.
 * An amount of '0' (e.g. graded 不合格) is a grant of nothing, and the decision says why.
 */
export interface GrantDecidedV1 {
  centerId: string;
  entryId: string;
  supportYear: number;
  calendarYear: number;
  amountFen: FenTextV1;
  decidedOn: string;
  policyVersion: string;
  basis: GrantBasisV1;
  decision: Year1SubsidyDecisionV1 | AnnualSubsidyDecisionV1;
}

/** A disbursement standing at the stop and dated after the revocation day: support paid after it. */
export interface PaidAfterRevocationV1 {
  entryId: string;
  supportYear: number;
  amountFen: FenTextV1;
  disbursedOn: string;
}

/** v1. A16/A17.3: recognition revoked; no further grant or disbursement for this center. */
export interface SupportStoppedV1 {
  centerId: string;
  revokedOn: string;
  rule: string;
  reason: string;
  /**
   * Optional (added within v1; absent from stops recorded before it): disbursements recorded before finance
   * read the revocation and dated after the revocation day, to be recovered.
   */
  paidAfterRevocation?: PaidAfterRevocationV1[];
}

/**
 * v1. Follows SupportStopped for each support year not fully paid: a year still awaiting its grant, a
 * pending year-1 declaration, or the undisbursed rest of a grant (`cancelledFen`).
 */
export interface GrantCancelledV1 {
  centerId: string;
  supportYear: number;
  was: 'awaiting-grant' | 'pending-declaration' | 'undisbursed-grant';
  cancelledFen: FenTextV1;
  revokedOn: string;
  rule: string;
}

/**
 * v1. A16/A17.3 stop only further support: a payment the treasury made on or before the revocation day
 * (`disbursedOn` ≤ `revokedOn`), recorded after finance read the revocation, was not undisbursed when
 * support stopped. The support year's cancellation falls by `amountFen` (never below zero: at most what
 * the year's finance.grant-cancelled events cancelled, less earlier reductions), as the ledger entry
 * `entryId` dated `reducedOn`; the finance.disbursement-recorded `disbursementEntryId` of the same amount
 * follows in the same append. `revokedOn` and `rule` are the revocation's, as on finance.grant-cancelled.
 */
export interface CancellationReducedV1 {
  centerId: string;
  entryId: string;
  supportYear: number;
  amountFen: FenTextV1;
  disbursementEntryId: string;
  disbursedOn: string;
  reducedOn: string;
  revokedOn: string;
  rule: string;
}

/**
 * libs/rules `operating-deadline` (A17.3a) as finance takes it for a payment: as of the day paid (`asOf`),
 * with the start assessment recorded when it is dated on or before that day, under the policy version
 * assessment tracked the center's deadline under (assessment.center-tracked).
 */
export type OperatingDeadlineCheckV1 = DecisionRecordV1<
  { recognizedOn: string; operationStartedOn: string | null; asOf: string | null },
  OperatingDeadlineOutcomeV1
>;

/** v1. The finance officer paid out part or all of a support year's grant. */
export interface DisbursementRecordedV1 {
  centerId: string;
  entryId: string;
  supportYear: number;
  amountFen: FenTextV1;
  disbursedOn: string;
  /**
   * The payment voucher or treasury reference. Required of a new disbursement since it was made so; null on
   * disbursements recorded before, and on a correction's replacement given none.
   */
  reference: string | null;
  /** Set when this entry replaces a reversed one; `reason` then says why. */
  correctsEntryId: string | null;
  reason: string | null;
  /**
   * A17.3a as of `disbursedOn`. Optional (added within v1): absent from disbursements recorded before it and
   * while finance knew no operating deadline of the center; made after a stop too (the revocation of record
   * may be dated after the A17.3a revocation day).
   */
  operatingDeadlineCheck?: OperatingDeadlineCheckV1;
  /**
   * With `operatingDeadlineCheck` only: true when the finance officer acknowledged the deadline passed (the
   * request's `deadlinePassedAcknowledged`), which a payment needs when the check found no start in time
   * (outcome `revoke`) and it is dated after the A17.3a revocation day (deadline + 1); false otherwise (a
   * payment on the revocation day is not after the revocation and needs none).
   */
  deadlinePassedAcknowledged?: boolean;
}

/** v1. A13 automated decision: spending of a support year's funds accepted. */
export interface ExpenditureAcceptedV1 {
  centerId: string;
  entryId: string;
  supportYear: number;
  category: string;
  amountFen: FenTextV1;
  evidenceHash: string;
  spentOn: string;
  description: string;
  correctsEntryId: string | null;
  reason: string | null;
  decision: ExpenditureDecisionV1;
}

/** v1. A13 automated decision: spending refused (forbidden or unknown use, or above the disbursed balance). */
export interface ExpenditureRejectedV1 {
  centerId: string;
  expenditureId: string;
  supportYear: number;
  category: string;
  amountFen: FenTextV1;
  evidenceHash: string;
  spentOn: string;
  description: string;
  decision: ExpenditureDecisionV1;
}

/** v1. A ledger entry undone by an opposite entry of the same amount, never edited; `reason` says why. */
export interface EntryReversedV1 {
  centerId: string;
  entryId: string;
  reversesEntryId: string;
  kind: 'disbursement' | 'expenditure';
  supportYear: number;
  amountFen: FenTextV1;
  reversedOn: string;
  reason: string;
}
