import type { Candidacy } from '../../domain/candidacy/candidacy.state';

/**
 * What the bureau decides the list on (A9.2), kept on each row so the queue shows it without opening every
 * candidacy: the A6 eligibility outcome, and the panel's scores and site-inspection verdicts as the
 * candidacy shows them (the reviews and inspections of the experts assigned now), without what they wrote.
 */
export interface ListSummary {
  /** Null until decided; false with the failed rule ids once rejected as ineligible. */
  eligibility: { eligible: boolean | null; ruleIds: string[] };
  reviews: { expertId: string; score: number }[];
  inspections: { expertId: string; inspectedOn: string; satisfactory: boolean }[];
}

export function listSummaryOf(state: Candidacy): ListSummary {
  const ineligible = state.rejection?.stage === 'eligibility';
  return {
    eligibility: {
      eligible: state.status === 'opened' ? null : !ineligible,
      ruleIds: ineligible ? state.rejection!.ruleIds : [],
    },
    reviews: state.reviews.map(({ expertId, score }) => ({ expertId, score })),
    inspections: state.inspections.map(({ expertId, inspectedOn, satisfactory }) => ({
      expertId,
      inspectedOn,
      satisfactory,
    })),
  };
}
