import type { ApplicationAcceptedV1, Actor } from '@nqpf/contracts';

/** What a request or an event asks of a candidacy; the handler adds the moment and the rules' decisions. */
export type CandidacyRequest =
  | { kind: 'open'; accepted: ApplicationAcceptedV1 }
  | { kind: 'assign-expert'; expertId: string }
  | { kind: 'unassign-expert'; expertId: string; reason: string }
  | { kind: 'record-review'; score: number; opinion: string }
  | { kind: 'record-site-inspection'; inspectedOn: string; satisfactory: boolean; finding: string }
  | { kind: 'revise-review'; score: number; opinion: string; reason: string }
  | {
      kind: 'revise-site-inspection';
      inspectedOn: string;
      satisfactory: boolean;
      finding: string;
      reason: string;
    }
  | { kind: 'decide-listing'; listId: string; listed: boolean; reason: string }
  | { kind: 'start-publicity'; publishedOn: string }
  | {
      kind: 'raise-objection';
      objector: { name?: string | null; contact?: string | null };
      content: string;
      inWriting: boolean;
      /** A letter the bureau received (its receipt time and register reference), entered now. */
      letter?: { receivedAt: string; reference: string };
    }
  | { kind: 'investigate-objection'; objectionId: string; note?: string }
  | { kind: 'rule-on-objection'; objectionId: string; upheld: boolean; reason: string }
  | { kind: 'end-publicity' }
  | { kind: 'sign-agreement'; reason: string };

export class CandidacyCommandMessage {
  constructor(
    readonly applicationId: string,
    readonly request: CandidacyRequest,
    readonly actor: Actor,
    readonly correlationId: string,
    readonly causationId: string | null = null,
  ) {}
}

export interface CandidacyView {
  applicationId: string;
  status: string;
  phase: string;
  version: number;
  objectionId?: string;
  /**
   * A letter the bureau entered (POST …/objections/letters): whether A9.4 accepts it. Refused — received
   * outside the period, or anonymous — it is recorded refused (review.objection-refused) and never open.
   */
  admissible?: boolean;
  /** With `admissible: false`: the rule that refused it, and its criteria that failed, as the decision says. */
  rule?: 'A9.4';
  failed?: string[];
  reasons?: { ruleId: string; criterion: string; measured: unknown; threshold: unknown; message: string }[];
}
