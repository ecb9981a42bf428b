import type { ApplicationFactsV1 } from '@nqpf/contracts';

export type CandidacyStatus =
  | 'none'
  | 'opened'
  | 'eligible'
  | 'rejected'
  | 'listed'
  | 'not-listed'
  | 'in-publicity'
  | 'publicity-ended'
  | 'recognized';

export type ObjectionStatus = 'raised' | 'investigating' | 'upheld' | 'dismissed';

export interface Candidacy {
  status: Exclude<CandidacyStatus, 'none'>;
  applicationId: string;
  callId: string;
  district: string;
  operatorAccountId: string;
  facts: ApplicationFactsV1;
  rejection?: { stage: 'eligibility' | 'objection'; ruleIds: string[]; reasons: string[] };
  /** Experts currently assigned. */
  experts: string[];
  reviews: { expertId: string; score: number }[];
  inspections: { expertId: string; satisfactory: boolean }[];
  listId?: string;
  publicity?: { publishedOn: string; lastDay: string; endsAt: string; calendarVersion: string };
  objections: Record<string, ObjectionStatus>;
  signatures: { bureau?: string; district?: string };
  recognitionDate?: string;
}

export type CandidacyState = { status: 'none' } | Candidacy;

/** Objections raised but not yet ruled on. */
export function pendingObjections(state: Candidacy): string[] {
  return Object.entries(state.objections)
    .filter(([, status]) => status === 'raised' || status === 'investigating')
    .map(([id]) => id);
}

/** A9.1 done: at least one expert review and one site-inspection finding recorded. */
export function isReviewed(state: Candidacy): boolean {
  return state.reviews.length > 0 && state.inspections.length > 0;
}

/** The standing's application phase (RULES.md "Standing of a center"), for read models and messages. */
export function phaseOf(state: CandidacyState): string {
  switch (state.status) {
    case 'eligible':
      return isReviewed(state) ? 'reviewed' : 'eligible';
    case 'in-publicity':
      return pendingObjections(state).length > 0 ? 'objection pending' : 'in publicity';
    case 'publicity-ended':
      return pendingObjections(state).length > 0 ? 'objection pending' : 'publicity passed';
    default:
      return state.status;
  }
}
