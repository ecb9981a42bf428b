import { ReviewEventTypes } from '../events/review';
import type { PayloadSchema } from '../payload-schema';
import { anything, bool, date, instant, integer, list, object, oneOf, text } from './builders';
import { applicationFacts, decisionRecord, material } from './shared';

const T = ReviewEventTypes;

const eligibilityOutcome = object(
  {
    eligible: bool(),
    failed: list(text()),
    institutions: object({ distinct: integer(0), duplicates: list(text()), notCounted: list(text()) }),
  },
  ['institutions'],
);

const publicityOutcome = object({ lastDay: date(), endsAtExclusive: instant(), countedDays: list(date()) });

const admissibilityInputs = object(
  {
    receivedAt: instant(),
    publishedOn: date(),
    publicityEndsAtExclusive: instant(),
    inWriting: bool(),
    realName: text(0),
    contact: text(0),
  },
  ['realName', 'contact'],
);

/** v1 payload schemas of every review event, per wire name (consumers validate foreign events with them). */
export const ReviewEventSchemas: Record<string, PayloadSchema> = {
  [T.CandidacyOpened]: object({
    applicationId: text(),
    callId: text(),
    operatorAccountId: text(),
    district: text(),
    acceptedAt: instant(),
    facts: applicationFacts,
    materials: list(material),
  }),
  [T.EligibilityDecided]: object({
    applicationId: text(),
    eligible: bool(),
    decidedAt: instant(),
    decision: decisionRecord(anything(), eligibilityOutcome),
  }),
  [T.ApplicationRejected]: object({
    applicationId: text(),
    stage: oneOf(['eligibility', 'objection']),
    rejectedAt: instant(),
    ruleIds: list(text()),
    reasons: list(text()),
  }),
  [T.ExpertAssigned]: object({ applicationId: text(), expertId: text(), assignedAt: instant() }),
  [T.ExpertUnassigned]: object({
    applicationId: text(),
    expertId: text(),
    unassignedAt: instant(),
    reason: text(),
  }),
  [T.ExpertReviewRecorded]: object({
    applicationId: text(),
    expertId: text(),
    score: { type: 'number', minimum: 0, maximum: 100 },
    opinion: text(),
    recordedAt: instant(),
  }),
  [T.SiteInspectionRecorded]: object({
    applicationId: text(),
    expertId: text(),
    inspectedOn: date(),
    satisfactory: bool(),
    finding: text(),
    recordedAt: instant(),
  }),
  [T.ExpertReviewRevised]: object({
    applicationId: text(),
    expertId: text(),
    score: { type: 'number', minimum: 0, maximum: 100 },
    opinion: text(),
    reason: text(),
    revisedAt: instant(),
    previousScore: { type: 'number', minimum: 0, maximum: 100 },
  }),
  [T.SiteInspectionRevised]: object({
    applicationId: text(),
    expertId: text(),
    inspectedOn: date(),
    satisfactory: bool(),
    finding: text(),
    reason: text(),
    revisedAt: instant(),
  }),
  [T.CandidacyListed]: object({
    applicationId: text(),
    listId: text(),
    decidedAt: instant(),
    reason: text(0),
  }),
  [T.CandidacyNotListed]: object({
    applicationId: text(),
    listId: text(),
    decidedAt: instant(),
    reason: text(0),
  }),
  [T.PublicityStarted]: object({
    applicationId: text(),
    listId: text(),
    publishedOn: date(),
    lastDay: date(),
    endsAt: instant(),
    calendarVersion: text(),
    startedAt: instant(),
    decision: decisionRecord(object({ publishedOn: date(), workingDays: integer(1) }), publicityOutcome),
  }),
  [T.ObjectionRaised]: object(
    {
      applicationId: text(),
      objectionId: text(),
      objector: object({ name: text(), contact: text() }),
      content: text(),
      raisedAt: instant(),
      admissibility: decisionRecord(
        admissibilityInputs,
        object({ admissible: bool(), failed: list(text()) }),
      ),
      letter: object({ reference: text(), enteredAt: instant() }),
    },
    ['letter'],
  ),
  [T.ObjectionRefused]: object({
    applicationId: text(),
    objectionId: text(),
    objector: object({ name: text(), contact: text() }, ['name', 'contact']),
    content: text(),
    receivedAt: instant(),
    letter: object({ reference: text(), enteredAt: instant() }),
    admissibility: decisionRecord(admissibilityInputs, object({ admissible: bool(), failed: list(text()) })),
  }),
  [T.ObjectionInvestigationStarted]: object(
    { applicationId: text(), objectionId: text(), startedAt: instant(), note: text(0) },
    ['note'],
  ),
  [T.ObjectionUpheld]: object({
    applicationId: text(),
    objectionId: text(),
    ruledAt: instant(),
    reason: text(),
  }),
  [T.ObjectionDismissed]: object({
    applicationId: text(),
    objectionId: text(),
    ruledAt: instant(),
    reason: text(),
  }),
  [T.PublicityEnded]: object({
    applicationId: text(),
    lastDay: date(),
    endedAt: instant(),
    pendingObjectionIds: list(text()),
  }),
  [T.AgreementSigned]: object(
    {
      applicationId: text(),
      party: oneOf(['bureau', 'district']),
      district: text(),
      signedOn: date(),
      signedAt: instant(),
      reason: text(),
    },
    ['reason'],
  ),
  [T.CenterRecognized]: object(
    {
      centerId: text(),
      recognitionDate: date(),
      district: text(),
      operator: object({ accountId: text(), name: text(), creditCode: text() }),
      callId: text(),
      facts: applicationFacts,
      policyVersion: text(),
    },
    ['facts', 'policyVersion'],
  ),
  [T.ExpertRegistered]: object({
    expertId: text(),
    name: text(),
    specialties: list(text()),
    registeredAt: instant(),
  }),
  [T.ExpertConflictDeclared]: object({
    expertId: text(),
    institution: object({ name: text(), creditCode: text() }, ['creditCode']),
    reason: text(),
    declaredAt: instant(),
  }),
};
