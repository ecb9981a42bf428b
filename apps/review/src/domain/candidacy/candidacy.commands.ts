import type {
  ApplicationAcceptedV1,
  DecisionRecordV1,
  EligibilityOutcomeV1,
  ObjectionRaisedV1,
  PublicityOutcomeV1,
} from '@nqpf/contracts';
import type { ExpertState } from '../expert/expert.decider';

export type EligibilityDecision = DecisionRecordV1<unknown, EligibilityOutcomeV1>;
export type AdmissibilityDecision = ObjectionRaisedV1['admissibility'];
export type PublicityDecision = DecisionRecordV1<
  { publishedOn: string; workingDays: number },
  PublicityOutcomeV1
>;

/**
 * Commands carry the moment (`at`, an instant; the domain never reads a clock), the decisions libs/rules
 * took for them (computed by the handler with the policy and calendar in force), the acting expert's
 * profile where conflicts matter, and the acting district for the object-level check.
 */
export type CandidacyCommand =
  | { kind: 'open'; accepted: ApplicationAcceptedV1; eligibilityDecision: EligibilityDecision; at: string }
  | { kind: 'assign-expert'; expert: ExpertState; at: string }
  | { kind: 'unassign-expert'; expertId: string; reason: string; at: string }
  | { kind: 'record-review'; expert: ExpertState; score: number; opinion: string; at: string }
  | {
      kind: 'record-site-inspection';
      expert: ExpertState;
      inspectedOn: string;
      satisfactory: boolean;
      finding: string;
      at: string;
    }
  /** A9.1: the expert corrects their own recorded review (or inspection) before the listing, saying why. */
  | { kind: 'revise-review'; expert: ExpertState; score: number; opinion: string; reason: string; at: string }
  | {
      kind: 'revise-site-inspection';
      expert: ExpertState;
      inspectedOn: string;
      satisfactory: boolean;
      finding: string;
      reason: string;
      at: string;
    }
  /** `conflictedExpertIds`: assigned experts who have declared a conflict with the application since (A9.1). */
  | {
      kind: 'decide-listing';
      listId: string;
      listed: boolean;
      reason: string;
      at: string;
      conflictedExpertIds: string[];
    }
  | { kind: 'start-publicity'; publicityDecision: PublicityDecision; at: string }
  | {
      kind: 'raise-objection';
      objectionId: string;
      objector: { name?: string | null; contact?: string | null };
      content: string;
      /** libs/rules decideObjectionAdmissible for this objection against this publicity. */
      admissibility: AdmissibilityDecision;
      /** When it was received: for a letter, the receipt time the bureau entered. */
      at: string;
      /** A letter the bureau received and enters now: its register reference and this moment. */
      letter?: { reference: string; enteredAt: string };
    }
  | { kind: 'investigate-objection'; objectionId: string; note?: string; at: string }
  | { kind: 'rule-on-objection'; objectionId: string; upheld: boolean; reason: string; at: string }
  /** Fired by the stored publicity deadline (system actor). */
  | { kind: 'end-publicity'; at: string }
  | {
      kind: 'sign-agreement';
      party: 'bureau' | 'district';
      district?: string;
      reason: string;
      at: string;
      /** The version in force on the recognition date, given to the signature that recognises (the second). */
      policyVersion?: string;
    };
