import { ReviewEventTypes } from '../events/review';
import type { PayloadSchema } from '../payload-schema';
import { anything, bool, date, instant, integer, list, object, oneOf, text } from './builders';
import { personal } from './personal-data';
import { applicationFacts, decisionRecord, material, operatorAccount } from './shared';

const T = ReviewEventTypes;

// Personal and confidential fields (schemas/personal-data.ts), each described where it is marked.
const expertId = () =>
  personal('expert', "The expert's id (A9.1); withheld from the center and its district office.", text());
const score = (what = "The expert's score, 0–100 (A9.1).") =>
  personal('expert-opinion', what, { type: 'number', minimum: 0, maximum: 100 });
const expertText = (what: string) => personal('expert-opinion', what, text());
const verdict = () => personal('expert-opinion', "The expert's site-inspection verdict (A9.1).", bool());
const objectorName = (minLength = 1) =>
  personal('objector', "The objector's real name, as given (A9.4).", text(minLength));
const objectorContact = (minLength = 1) =>
  personal('objector', "The objector's contact (phone, address…), as given (A9.4).", text(minLength));
const objector = (optional: readonly string[] = []) =>
  object({ name: objectorName(), contact: objectorContact() }, optional);
const objectionText = () => personal('objector', "The objection's text, as the objector wrote it.", text());
const letter = () =>
  object({
    reference: personal(
      'objector',
      "The bureau's register reference of the objector's letter; it leads to the letter and its sender.",
      text(),
    ),
    enteredAt: instant(),
  });

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
    // The A9.4 check's inputs repeat the objector's name and contact as given.
    realName: objectorName(0),
    contact: objectorContact(0),
  },
  ['realName', 'contact'],
);

/** v1 payload schemas of every review event, per wire name (consumers validate foreign events with them). */
export const ReviewEventSchemas: Record<string, PayloadSchema> = {
  [T.CandidacyOpened]: object({
    applicationId: text(),
    callId: text(),
    operatorAccountId: operatorAccount(),
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
  [T.ExpertAssigned]: object({ applicationId: text(), expertId: expertId(), assignedAt: instant() }),
  [T.ExpertUnassigned]: object({
    applicationId: text(),
    expertId: expertId(),
    unassignedAt: instant(),
    reason: personal(
      'conflict',
      "The bureau's reason for withdrawing the expert: typically a conflict of interest they declared.",
      text(),
    ),
  }),
  [T.ExpertReviewRecorded]: object({
    applicationId: text(),
    expertId: expertId(),
    score: score(),
    opinion: expertText("The expert's written opinion (A9.1)."),
    recordedAt: instant(),
  }),
  [T.SiteInspectionRecorded]: object({
    applicationId: text(),
    expertId: expertId(),
    inspectedOn: date(),
    satisfactory: verdict(),
    finding: expertText("The expert's written site-inspection finding (A9.1)."),
    recordedAt: instant(),
  }),
  [T.ExpertReviewRevised]: object({
    applicationId: text(),
    expertId: expertId(),
    score: score(),
    opinion: expertText("The expert's written opinion (A9.1)."),
    reason: expertText('Why the expert corrected their review.'),
    revisedAt: instant(),
    previousScore: score('The score the correction replaces.'),
  }),
  [T.SiteInspectionRevised]: object({
    applicationId: text(),
    expertId: expertId(),
    inspectedOn: date(),
    satisfactory: verdict(),
    finding: expertText("The expert's written site-inspection finding (A9.1)."),
    reason: expertText('Why the expert corrected their site inspection.'),
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
      objector: objector(),
      content: objectionText(),
      raisedAt: instant(),
      admissibility: decisionRecord(
        admissibilityInputs,
        object({ admissible: bool(), failed: list(text()) }),
      ),
      letter: letter(),
    },
    ['letter'],
  ),
  [T.ObjectionRefused]: object({
    applicationId: text(),
    objectionId: text(),
    objector: objector(['name', 'contact']),
    content: objectionText(),
    receivedAt: instant(),
    letter: letter(),
    admissibility: decisionRecord(admissibilityInputs, object({ admissible: bool(), failed: list(text()) })),
  }),
  [T.ObjectionInvestigationStarted]: object(
    {
      applicationId: text(),
      objectionId: text(),
      startedAt: instant(),
      note: personal(
        'objector',
        "The bureau's investigation note: it may name or quote the objector; withheld as the objection is.",
        text(0),
      ),
    },
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
      operator: object({ accountId: operatorAccount(), name: text(), creditCode: text() }),
      callId: text(),
      facts: applicationFacts,
      policyVersion: text(),
    },
    ['facts', 'policyVersion'],
  ),
  [T.ExpertRegistered]: object({
    expertId: expertId(),
    name: personal('expert', "The expert's real name (A9.1).", text()),
    specialties: personal('expert', "The expert's specialties (A9.1).", list(text())),
    registeredAt: instant(),
  }),
  [T.ExpertConflictDeclared]: object({
    expertId: expertId(),
    institution: object(
      {
        name: personal('conflict', 'The institution the expert declared a conflict with (A9.1).', text()),
        creditCode: personal('conflict', "That institution's unified social credit code.", text()),
      },
      ['creditCode'],
    ),
    reason: personal(
      'conflict',
      "The expert's reason for the conflict; it may describe family or employment ties.",
      text(),
    ),
    declaredAt: instant(),
  }),
};
