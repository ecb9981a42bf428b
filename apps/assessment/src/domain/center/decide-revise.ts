import { AssessmentEventTypes as T } from '@nqpf/contracts';
import {
  IllegalTransitionError,
  InvalidInputError,
  requireDate,
  requireText,
  underRules,
} from '@nqpf/domain';
import { decideConsecutiveUnqualified, isBlankText, Policy } from '@nqpf/rules';
import { gradeByMethod } from './decide-assess';
import { requireNotRevoked } from './guards';
import { revoked } from './revocation';
import { CenterCommand, CenterEvent, CenterState, TrackedCenter } from './center.types';

type Revise = Extract<CenterCommand, { kind: 'revise-assessment' }>;

/**
 * Whether the grade of `year` may be corrected, before the policies are looked up: a center not revoked
 * (revocation is final, whichever grade it rested on) and a year already graded.
 */
export function requireRevisable(
  s: CenterState,
  year: number,
  today: string,
): TrackedCenter & { assessedOn: string } {
  const action = `revise the ${year} assessment`;
  const state = requireNotRevoked(s, action);
  requireDate('today', today);
  if (!Number.isInteger(year)) throw new InvalidInputError('year', 'must be a calendar year');
  const assessed = state.assessed[year];
  if (!state.grades[year] || !assessed) throw new IllegalTransitionError(`${year} not assessed`, action);
  return { ...state, assessedOn: assessed.assessedOn };
}

/** A17.1: the bureau sets a grade with a written reason; correcting one says why it was wrong. */
function requireReason(raw: unknown): string {
  if (typeof raw !== 'string' || isBlankText(raw))
    throw new InvalidInputError('reason', 'A17.1: a grade is corrected only with a written reason');
  return requireText('reason', raw);
}

/** The bands that graded the year: a version in force later cannot have graded it. */
function requireGradedUnder(policy: Policy, assessedOn: string): Policy {
  if (policy.effectiveFrom > assessedOn)
    throw new InvalidInputError(
      'policy',
      `version ${policy.version} was not in force on ${assessedOn}, when the year was assessed`,
    );
  return policy;
}

/**
 * A17.1, a correction with a written reason: the grade recorded for a year is replaced, set directly or
 * graded from corrected scores under the bands the year was assessed under. The grade must change (the
 * same grade corrects nothing a grant or A17.3b reads). A17.3b is then checked on the corrected history,
 * today, as an assessment would: two consecutive 不合格 revoke.
 */
export function reviseAssessment(c: Revise, s: CenterState): CenterEvent[] {
  const state = requireRevisable(s, c.year, c.today);
  const reason = requireReason(c.reason);
  const graded = gradeByMethod(c.method, requireGradedUnder(c.gradePolicy, state.assessedOn));
  const previousGrade = state.grades[c.year]!;
  if (graded.grade === previousGrade)
    throw new IllegalTransitionError(
      `${c.year} is graded ${previousGrade} already`,
      `revise the ${c.year} assessment to ${graded.grade}`,
    );
  const grades = Object.entries(state.grades).map(([year, grade]) => ({
    year: Number(year),
    grade: Number(year) === c.year ? graded.grade : grade,
  }));
  const revocationCheck = underRules(() => decideConsecutiveUnqualified({ grades }, c.policy));
  const events: CenterEvent[] = [
    {
      type: T.AssessmentRevised,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        year: c.year,
        supportYear: state.assessed[c.year]!.supportYear,
        previousGrade,
        grade: graded.grade,
        method: graded.method,
        indicators: graded.indicators,
        score: graded.score,
        gradeReason: graded.reason,
        reason,
        assessedOn: state.assessedOn,
        revisedOn: c.today,
        decision: graded.decision,
        revocationCheck,
      },
    },
  ];
  if (revocationCheck.outcome.revoke)
    events.push(revoked(state.centerId, c.today, 'A17.3b', 'consecutive-unqualified', revocationCheck));
  return events;
}
