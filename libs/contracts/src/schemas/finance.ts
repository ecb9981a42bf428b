import { FinanceEventTypes } from '../events/finance';
import type { PayloadSchema } from '../payload-schema';
import { anyObject, bool, date, fen, integer, list, nullable, object, oneOf, sha256, text } from './builders';
import { decisionRecord, GRADES, operatorAccount } from './shared';

const T = FinanceEventTypes;

const supportYear = integer(1);
const calendarYear = integer(2000, 2100);

/** GrantBasisV1, a union told apart by `kind`; the subset has no oneOf, so both shapes' fields are listed. */
const grantBasis = object(
  {
    kind: oneOf(['year1-costs', 'assessment']),
    declarationId: text(),
    approvedFen: fen(),
    assessedYear: calendarYear,
    assessedSupportYear: supportYear,
    grade: oneOf(GRADES),
  },
  ['declarationId', 'approvedFen', 'assessedYear', 'assessedSupportYear', 'grade'],
);

/** Year1SubsidyDecisionV1 or AnnualSubsidyDecisionV1: both record an amount and whether it was granted. */
const grantDecision = decisionRecord(
  anyObject(),
  object({ amountFen: fen(), granted: bool(), capped: bool() }, ['capped']),
);

/** ExpenditureDecisionV1: the support-year window's inputs from rules-2026.8 (older decisions lack them). */
const expenditureDecision = decisionRecord(
  object(
    {
      category: text(),
      amountFen: fen(),
      disbursedFen: fen(),
      spentFen: fen(),
      spentOn: date(),
      supportYear,
      calendarYear,
      decidedOn: date(),
    },
    ['spentOn', 'supportYear', 'calendarYear', 'decidedOn'],
  ),
  object({ accepted: bool(), rejectedFor: list(text()) }),
);

/** OperatingDeadlineCheckV1: A17.3a as of the day paid. */
const operatingDeadlineCheck = decisionRecord(
  object({ recognizedOn: date(), operationStartedOn: nullable(date()), asOf: nullable(date()) }),
  object({ deadline: date(), status: oneOf(['started-in-time', 'pending', 'missed']), revoke: bool() }),
);

/** v1 payload schemas of every finance event, per wire name (consumers validate foreign events with them). */
export const FinanceEventSchemas: Record<string, PayloadSchema> = {
  [T.PolicyPublished]: object({
    version: text(),
    effectiveFrom: date(),
    publishedOn: date(),
    policy: anyObject(),
    reason: text(0),
  }),
  [T.SubsidyAccountOpened]: object({
    centerId: text(),
    district: text(),
    operatorId: operatorAccount(),
    recognizedOn: date(),
    policyVersion: text(),
    supportYears: list(object({ supportYear, calendarYear })),
  }),
  [T.Year1CostsDeclared]: object(
    {
      centerId: text(),
      declarationId: text(),
      declaredOn: date(),
      items: list(
        object({ category: text(), amountFen: fen(), evidenceHash: sha256(), description: text(0) }),
      ),
      totalFen: fen(),
      replacesDeclarationId: text(),
      reason: text(),
    },
    ['replacesDeclarationId', 'reason'],
  ),
  [T.Year1CostsApproved]: object({
    centerId: text(),
    declarationId: text(),
    approvedOn: date(),
    declaredFen: fen(),
    approvedFen: fen(),
    reason: nullable(text(0)),
  }),
  [T.Year1ApprovalRevised]: object({
    centerId: text(),
    declarationId: text(),
    revisedOn: date(),
    declaredFen: fen(),
    previousApprovedFen: fen(),
    approvedFen: fen(),
    reason: text(),
    previousGrantEntryId: text(),
    previousGrantFen: fen(),
    reversalEntryId: text(),
  }),
  [T.AnnualGrantRevised]: object({
    centerId: text(),
    supportYear,
    calendarYear,
    assessedYear: calendarYear,
    assessedSupportYear: supportYear,
    previousGrade: oneOf(GRADES),
    grade: oneOf(GRADES),
    revisedOn: date(),
    reason: text(),
    previousGrantEntryId: text(),
    previousGrantFen: fen(),
    policyVersion: text(),
    reversalEntryId: text(),
  }),
  [T.GrantDecided]: object({
    centerId: text(),
    entryId: text(),
    supportYear,
    calendarYear,
    amountFen: fen(),
    decidedOn: date(),
    policyVersion: text(),
    basis: grantBasis,
    decision: grantDecision,
  }),
  [T.SupportStopped]: object(
    {
      centerId: text(),
      revokedOn: date(),
      rule: text(),
      reason: text(),
      paidAfterRevocation: list(
        object({ entryId: text(), supportYear, amountFen: fen(), disbursedOn: date() }),
      ),
    },
    ['paidAfterRevocation'],
  ),
  [T.GrantCancelled]: object({
    centerId: text(),
    supportYear,
    was: oneOf(['awaiting-grant', 'pending-declaration', 'undisbursed-grant']),
    cancelledFen: fen(),
    revokedOn: date(),
    rule: text(),
  }),
  [T.CancellationReduced]: object({
    centerId: text(),
    entryId: text(),
    supportYear,
    amountFen: fen(),
    disbursementEntryId: text(),
    disbursedOn: date(),
    reducedOn: date(),
    revokedOn: date(),
    rule: text(),
  }),
  [T.DisbursementRecorded]: object(
    {
      centerId: text(),
      entryId: text(),
      supportYear,
      amountFen: fen(),
      disbursedOn: date(),
      reference: nullable(text(0)),
      correctsEntryId: nullable(text()),
      reason: nullable(text(0)),
      operatingDeadlineCheck,
      deadlinePassedAcknowledged: bool(),
    },
    ['operatingDeadlineCheck', 'deadlinePassedAcknowledged'],
  ),
  [T.ExpenditureAccepted]: object({
    centerId: text(),
    entryId: text(),
    supportYear,
    category: text(),
    amountFen: fen(),
    evidenceHash: sha256(),
    spentOn: date(),
    description: text(0),
    correctsEntryId: nullable(text()),
    reason: nullable(text(0)),
    decision: expenditureDecision,
  }),
  [T.ExpenditureRejected]: object({
    centerId: text(),
    expenditureId: text(),
    supportYear,
    category: text(),
    amountFen: fen(),
    evidenceHash: sha256(),
    spentOn: date(),
    description: text(0),
    decision: expenditureDecision,
  }),
  [T.EntryReversed]: object({
    centerId: text(),
    entryId: text(),
    reversesEntryId: text(),
    kind: oneOf(['disbursement', 'expenditure']),
    supportYear,
    amountFen: fen(),
    reversedOn: date(),
    reason: text(),
  }),
};
