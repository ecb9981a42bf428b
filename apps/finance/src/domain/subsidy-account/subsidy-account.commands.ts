import { Grade, Policy } from '@nqpf/rules';
import { Money } from '../money/money';
import type { OperatingDeadlineFacts } from './operating-deadline';

/** From review.center-recognized: opens the account with its support years (A12.1). */
export interface OpenAccount {
  kind: 'open';
  centerId: string;
  district: string;
  operatorId: string;
  recognizedOn: string;
  policy: Policy;
}

export interface DeclaredCost {
  category: string;
  amount: Money;
  evidenceHash: string;
  description?: string;
}

/**
 * Operator: year-1 construction and operating costs by category, with evidence (A12.2). Until the bureau
 * decides, a new declaration replaces the pending one, names it (`replacesDeclarationId`) and says why
 * (`reason`).
 */
export interface DeclareYear1Costs {
  kind: 'declare-year1-costs';
  declarationId: string;
  declaredOn: string;
  items: DeclaredCost[];
  /**
   * The pending declaration this one replaces, as the operator read it: required when one is pending (another
   * pending is a 409: declared since), refused when none is.
   */
  replacesDeclarationId?: string | null;
  /** Required when a declaration is pending (this one replaces it); refused when none is. */
  reason?: string | null;
}

/** Bureau: approves the declared costs, possibly less with a reason; the grant follows (A12.2). */
export interface ApproveYear1Costs {
  kind: 'approve-year1-costs';
  declarationId: string;
  approved: Money;
  reason?: string | null;
  approvedOn: string;
  entryId: string;
  /** The version in force on approvedOn. */
  policy: Policy;
}

/**
 * Bureau: corrects its year-1 approval (an amount keyed wrongly); the old grant is reversed and the grant
 * is decided again on the corrected costs (A12.2), never below what was already disbursed.
 */
export interface ReviseYear1Approval {
  kind: 'revise-year1-approval';
  declarationId: string;
  approved: Money;
  reason: string;
  revisedOn: string;
  reversalEntryId: string;
  entryId: string;
  /** The version in force on revisedOn. */
  policy: Policy;
}

/** From assessment.assessment-completed for support year n − 1: grants support year n (A12.3). */
export interface GrantOnAssessment {
  kind: 'grant-on-assessment';
  assessedYear: number;
  assessedSupportYear: number;
  grade: Grade;
  decidedOn: string;
  entryId: string;
  /** The version in force on decidedOn. */
  policy: Policy;
}

/**
 * From assessment.assessment-revised for support year n − 1 (its grade corrected): support year n's grant is
 * decided again on the corrected grade (A12.3), never below what it has already disbursed.
 */
export interface ReviseGrantOnAssessment {
  kind: 'revise-grant-on-assessment';
  assessedYear: number;
  assessedSupportYear: number;
  previousGrade: Grade;
  grade: Grade;
  /** Why the grade was corrected, as the bureau wrote it. */
  reason: string;
  revisedOn: string;
  reversalEntryId: string;
  entryId: string;
  /**
   * The version the grant standing was decided under (the grant is decided again under it); with no grant
   * standing, the version in force on revisedOn (the grant is simply decided, on the corrected grade).
   */
  policy: Policy;
}

/** From assessment.center-revoked (A16, A17.3): support stops for good. */
export interface StopSupport {
  kind: 'stop-support';
  revokedOn: string;
  rule: string;
  reason: string;
}

/**
 * A grade correction finance holds (assessment.assessment-revised): the grant `grade` decides for
 * `supportYear`, `grantFen`, falls below what the year has disbursed, so it waits for those disbursements to
 * be corrected, and nothing is disbursed meanwhile.
 */
export interface HeldGrantRevision {
  supportYear: number;
  assessedYear: number;
  previousGrade: Grade;
  grade: Grade;
  revisedOn: string;
  reason: string;
  grantFen: string;
}

/**
 * Finance officer: pays out part or all of a support year's grant. After the stop (A16, A17.3), only a
 * payment made on or before the revocation day, from what the stop cancelled of that year.
 */
export interface Disburse {
  kind: 'disburse';
  entryId: string;
  supportYear: number;
  amount: Money;
  /** The day the treasury paid: from the recognition to the day it is recorded. */
  disbursedOn: string;
  recordedOn: string;
  /** The payment voucher or treasury reference: required (a disbursement recorded before may lack it). */
  reference: string;
  /** After the stop: the entry that takes the payment back from the year's cancellation. */
  reductionEntryId: string;
  /** The center's grade corrections finance holds: while there is one, nothing is disbursed (409). */
  heldRevisions?: HeldGrantRevision[];
  /** The center's A17.3a operating deadline and start, as assessment recorded them; absent while unknown. */
  operatingDeadline?: OperatingDeadlineFacts;
  /** The officer records a payment dated after the deadline, no start in time, knowingly (else 422 A17.3a). */
  deadlinePassedAcknowledged?: boolean;
}

/** Operator: spending of a support year's disbursed funds (A13). */
export interface RecordExpenditure {
  kind: 'record-expenditure';
  expenditureId: string;
  supportYear: number;
  category: string;
  amount: Money;
  evidenceHash: string;
  spentOn: string;
  description?: string;
  decidedOn: string;
  /** The version in force on decidedOn. */
  policy: Policy;
}

export type Replacement =
  | {
      kind: 'disbursement';
      entryId: string;
      amount: Money;
      disbursedOn: string;
      reference?: string | null;
      /** As a disbursement's: a payment dated after the A17.3a deadline, no start in time, knowingly. */
      deadlinePassedAcknowledged?: boolean;
    }
  | {
      kind: 'expenditure';
      entryId: string;
      category: string;
      amount: Money;
      evidenceHash: string;
      spentOn: string;
      description?: string;
    };

/** No edits: a reversing entry, and optionally the entry that replaces it, each with the reason. */
export interface CorrectEntry {
  kind: 'correct-entry';
  reversalEntryId: string;
  reversesEntryId: string;
  reason: string;
  correctedOn: string;
  replacement?: Replacement;
  /** The version in force on correctedOn (a replacement expenditure is decided again under A13). */
  policy: Policy;
  /** As a disbursement's, for a replacement disbursement (A17.3a); absent while unknown. */
  operatingDeadline?: OperatingDeadlineFacts;
}

export type SubsidyAccountCommand =
  | OpenAccount
  | DeclareYear1Costs
  | ApproveYear1Costs
  | ReviseYear1Approval
  | GrantOnAssessment
  | ReviseGrantOnAssessment
  | StopSupport
  | Disburse
  | RecordExpenditure
  | CorrectEntry;
