import type { ApplicationFactsV1, DecisionRecordV1, MaterialV1 } from './intake';

/** Events published on nqpf.review.events. Wire names and versions are stable; see docs/contracts. */
export const ReviewEventTypes = {
  CandidacyOpened: 'review.candidacy-opened',
  EligibilityDecided: 'review.eligibility-decided',
  ApplicationRejected: 'review.application-rejected',
  ExpertAssigned: 'review.expert-assigned',
  ExpertUnassigned: 'review.expert-unassigned',
  ExpertReviewRecorded: 'review.expert-review-recorded',
  SiteInspectionRecorded: 'review.site-inspection-recorded',
  ExpertReviewRevised: 'review.expert-review-revised',
  SiteInspectionRevised: 'review.site-inspection-revised',
  CandidacyListed: 'review.candidacy-listed',
  CandidacyNotListed: 'review.candidacy-not-listed',
  PublicityStarted: 'review.publicity-started',
  ObjectionRaised: 'review.objection-raised',
  ObjectionRefused: 'review.objection-refused',
  ObjectionInvestigationStarted: 'review.objection-investigation-started',
  ObjectionUpheld: 'review.objection-upheld',
  ObjectionDismissed: 'review.objection-dismissed',
  PublicityEnded: 'review.publicity-ended',
  AgreementSigned: 'review.agreement-signed',
  CenterRecognized: 'review.center-recognized',
  ExpertRegistered: 'review.expert-registered',
  ExpertConflictDeclared: 'review.expert-conflict-declared',
} as const;

/** libs/rules eligibility outcome (A6). */
export interface EligibilityOutcomeV1 {
  eligible: boolean;
  /** Every failed criterion as 'ruleId:criterion'. */
  failed: string[];
  institutions?: { distinct: number; duplicates: string[]; notCounted: string[] };
}

/** libs/rules publicity-end outcome (A9.3). */
export interface PublicityOutcomeV1 {
  lastDay: string;
  /** First instant after the period: 00:00 +08:00 of the day after lastDay. */
  endsAtExclusive: string;
  countedDays: string[];
}

// ---- Candidacy: one stream per application id (= center id) ----

/** v1. Review received an accepted application (from intake.application-accepted). */
export interface CandidacyOpenedV1 {
  applicationId: string;
  callId: string;
  operatorAccountId: string;
  district: string;
  acceptedAt: string;
  facts: ApplicationFactsV1;
  materials: MaterialV1[];
}

/** v1. A6 eligibility, decided by libs/rules; `decision.reasons` lists every criterion. */
export interface EligibilityDecidedV1 {
  applicationId: string;
  eligible: boolean;
  decidedAt: string;
  decision: DecisionRecordV1<unknown, EligibilityOutcomeV1>;
}

/** v1. The application leaves the procedure: ineligible (A6) or an upheld objection (A9.4). */
export interface ApplicationRejectedV1 {
  applicationId: string;
  stage: 'eligibility' | 'objection';
  rejectedAt: string;
  /** Rule ids behind the rejection, e.g. ['A6.1', 'A6.4'] or ['A9.4']. */
  ruleIds: string[];
  /** Human-readable reasons, for the operator and the district office. */
  reasons: string[];
}

/** v1. A9.1: the bureau assigned an expert (no declared conflict with an involved institution). */
export interface ExpertAssignedV1 {
  applicationId: string;
  expertId: string;
  assignedAt: string;
}

/** v1. The bureau withdrew an expert's assignment (e.g. a conflict declared after assignment). */
export interface ExpertUnassignedV1 {
  applicationId: string;
  expertId: string;
  unassignedAt: string;
  reason: string;
}

/** v1. A9.1 expert review (审核): a score 0–100 and a written opinion. */
export interface ExpertReviewRecordedV1 {
  applicationId: string;
  expertId: string;
  score: number;
  opinion: string;
  recordedAt: string;
}

/** v1. A9.1 on-site inspection (实地考察) finding. */
export interface SiteInspectionRecordedV1 {
  applicationId: string;
  expertId: string;
  inspectedOn: string;
  satisfactory: boolean;
  finding: string;
  recordedAt: string;
}

/**
 * v1. A9.1: the expert corrected their own review before the listing; it replaces their recorded one.
 * `reason` says why it was corrected; `previousScore` is the score it replaces.
 */
export interface ExpertReviewRevisedV1 {
  applicationId: string;
  expertId: string;
  score: number;
  opinion: string;
  reason: string;
  revisedAt: string;
  previousScore: number;
}

/** v1. A9.1: the expert corrected their own site inspection before the listing; it replaces the recorded one. */
export interface SiteInspectionRevisedV1 {
  applicationId: string;
  expertId: string;
  inspectedOn: string;
  satisfactory: boolean;
  finding: string;
  reason: string;
  revisedAt: string;
}

/** v1. A9.2: the bureau put the application on the list. */
export interface CandidacyListedV1 {
  applicationId: string;
  listId: string;
  decidedAt: string;
  reason: string;
}

/** v1. A9.2: the bureau left the application off the list (final). */
export interface CandidacyNotListedV1 {
  applicationId: string;
  listId: string;
  decidedAt: string;
  reason: string;
}

/** v1. A9.3: publicity started; the end was computed by libs/rules with the recorded calendar version. */
export interface PublicityStartedV1 {
  applicationId: string;
  listId: string;
  publishedOn: string;
  lastDay: string;
  endsAt: string;
  calendarVersion: string;
  startedAt: string;
  decision: DecisionRecordV1<{ publishedOn: string; workingDays: number }, PublicityOutcomeV1>;
}

/** libs/rules objection-admissible inputs and outcome (A9.4). */
export interface ObjectionAdmissibilityInputsV1 {
  receivedAt: string;
  publishedOn: string;
  publicityEndsAtExclusive: string;
  inWriting: boolean;
  realName?: string;
  contact?: string;
}

/** v1. A9.4: a written objection under a real name with a way to reach the objector, within the period. */
export interface ObjectionRaisedV1 {
  applicationId: string;
  objectionId: string;
  objector: { name: string; contact: string };
  content: string;
  /** When the objection was received: for a letter, the receipt time the bureau entered (A9.4 period). */
  raisedAt: string;
  admissibility: DecisionRecordV1<ObjectionAdmissibilityInputsV1, { admissible: boolean; failed: string[] }>;
  /** A written objection received on paper and entered later by the bureau: its register reference, when entered. */
  letter?: { reference: string; enteredAt: string };
}

/**
 * v1. A9.4: a written objection the bureau received by letter and entered, which the rules do not accept —
 * received outside the publicity period (after it, or before the publication day), or anonymous (no real
 * name or no way to reach the objector). Recorded so that every letter the bureau received shows, with why
 * it was not considered; it is never open (nothing waits for it, nobody rules on it). Objections sent on
 * the public route that the rules refuse are not recorded.
 */
export interface ObjectionRefusedV1 {
  applicationId: string;
  objectionId: string;
  /** As written, trimmed: a name or contact left out or blank is absent (as in `admissibility.inputs`). */
  objector: { name?: string; contact?: string };
  content: string;
  /** When the letter was received: the receipt time the bureau entered. */
  receivedAt: string;
  /** Its register reference, and when the bureau entered it. */
  letter: { reference: string; enteredAt: string };
  /** The rules' A9.4 decision, `outcome.admissible` false; `outcome.failed` and `reasons` say why. */
  admissibility: DecisionRecordV1<ObjectionAdmissibilityInputsV1, { admissible: boolean; failed: string[] }>;
}

/** v1. The bureau started investigating an objection. */
export interface ObjectionInvestigationStartedV1 {
  applicationId: string;
  objectionId: string;
  startedAt: string;
  note?: string;
}

/** v1. The objection was upheld: the application leaves the list (followed by application-rejected). */
export interface ObjectionUpheldV1 {
  applicationId: string;
  objectionId: string;
  ruledAt: string;
  reason: string;
}

/** v1. The objection was dismissed: the application stays on the list. */
export interface ObjectionDismissedV1 {
  applicationId: string;
  objectionId: string;
  ruledAt: string;
  reason: string;
}

/** v1. The stored publicity deadline fired; objections still open at that moment are listed. */
export interface PublicityEndedV1 {
  applicationId: string;
  lastDay: string;
  endedAt: string;
  pendingObjectionIds: string[];
}

/** v1. A9.4: one party signed the co-construction agreement. */
export interface AgreementSignedV1 {
  applicationId: string;
  party: 'bureau' | 'district';
  district: string;
  signedOn: string;
  signedAt: string;
  /** The signer's written reason. Optional (added within v1): absent from signatures recorded before it. */
  reason?: string;
}

/**
 * v1. A9.4: both parties signed; the center is recognised on the (later) signing date.
 * The center id is the application id for the center's whole life.
 */
export interface CenterRecognizedV1 {
  centerId: string;
  recognitionDate: string;
  district: string;
  operator: { accountId: string; name: string; creditCode: string };
  callId: string;
  /**
   * The art. 6 facts recognised: the accepted application's (intake.application-accepted), on which A6
   * eligibility was decided; the baseline A16 re-checks major changes against. Absent from recognitions
   * recorded before it was added (optional within v1).
   */
  facts?: ApplicationFactsV1;
  /**
   * The policy version in force on `recognitionDate` as review read it when recognising: reporting,
   * assessment and finance decide the center's A17.3a deadline and A12.1 support years under this one
   * version, rather than each looking the date up in a copy that may lag. Absent from recognitions
   * recorded before it was added (optional within v1): they look the date up.
   */
  policyVersion?: string;
}

// ---- Expert profile: one stream per expert id ----

/** v1. The bureau registered an expert. */
export interface ExpertRegisteredV1 {
  expertId: string;
  name: string;
  specialties: string[];
  registeredAt: string;
}

/** v1. A9.1: the expert declared a conflict of interest with an institution. */
export interface ExpertConflictDeclaredV1 {
  expertId: string;
  institution: { name: string; creditCode?: string };
  reason: string;
  declaredAt: string;
}
