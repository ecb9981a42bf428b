import {
  AssessmentCompletedV1,
  AssessmentEventTypes as T,
  GradeV1,
  ReportComplianceV1,
} from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import {
  decideConsecutiveUnqualified,
  decideGrade,
  formatHundredths,
  GRADES,
  supportYearOf,
  Policy,
  readHundredths,
} from '@nqpf/rules';
import {
  requireCount,
  requireDate,
  requireObject,
  requireOneOf,
  requireText,
  underRules,
} from '@nqpf/domain';
import { checkAnnualActivities } from './annual-activities';
import { requireNotRevoked, requireRecognitionPolicy } from './guards';
import { revoked } from './revocation';
import { AssessmentMethod, CenterCommand, CenterEvent, CenterState, TrackedCenter } from './center.types';

export type Graded = Pick<
  AssessmentCompletedV1,
  'grade' | 'method' | 'indicators' | 'score' | 'reason' | 'decision'
>;

/** A field the method does not read (a grade beside scores, a weight) is refused, not dropped: a grade stands. */
const METHOD_FIELDS = { direct: ['kind', 'grade', 'reason'], score: ['kind', 'indicators'] } as const;

/** A17.1: the grade as the method gives it (an assessment, or a revision of one), with its decision when scored. */
export function gradeByMethod(method: AssessmentMethod, policy: Policy): Graded {
  if (method?.kind === 'direct' || method?.kind === 'score')
    requireObject('method', method, METHOD_FIELDS[method.kind]);
  if (method?.kind === 'direct') {
    const grade: GradeV1 = requireOneOf('method.grade', method.grade, GRADES);
    const reason = requireText('method.reason', method.reason);
    return { grade, method: 'direct', indicators: null, score: null, reason, decision: null };
  }
  if (method?.kind !== 'score') throw new InvalidInputError('method.kind', "must be 'score' or 'direct'");
  if (!Array.isArray(method.indicators) || method.indicators.length === 0)
    throw new InvalidInputError('method.indicators', 'must list at least one indicator score');
  const indicators = method.indicators.map((item, i) => ({
    name: requireText(
      `method.indicators[${i}].name`,
      requireObject(`method.indicators[${i}]`, item, ['name', 'score']).name,
      200,
    ),
    hundredths: underRules(() => readHundredths(item?.score, `method.indicators[${i}].score`, 'A17.1')),
  }));
  // One indicator scored twice would count twice towards the grade.
  const repeated = indicators.findIndex((item, i) => indicators.findIndex((o) => o.name === item.name) !== i);
  if (repeated >= 0)
    throw new InvalidInputError(
      `method.indicators[${repeated}].name`,
      `indicator ${indicators[repeated]!.name} is scored twice (A17.1)`,
    );
  const total = indicators.reduce((sum, item) => sum + item.hundredths, 0);
  if (total > 10000)
    throw new InvalidInputError(
      'method.indicators',
      `the scores add up to ${formatHundredths(total)}, more than 100 (A17.1)`,
    );
  const decision = underRules(() => decideGrade({ score: formatHundredths(total) }, policy));
  return {
    grade: decision.outcome.grade,
    method: 'score',
    indicators: indicators.map((item) => ({ name: item.name, score: formatHundredths(item.hundredths) })),
    score: decision.inputs.score,
    reason: null,
    decision,
  };
}

function readCompliance(raw: ReportComplianceV1): ReportComplianceV1 {
  if (raw === null || typeof raw !== 'object')
    throw new InvalidInputError('reportCompliance', 'must be an object');
  return {
    due: requireCount('reportCompliance.due', raw.due),
    filedOnTime: requireCount('reportCompliance.filedOnTime', raw.filedOnTime),
    filedLate: requireCount('reportCompliance.filedLate', raw.filedLate),
    missing: requireCount('reportCompliance.missing', raw.missing),
  };
}

/**
 * A12.1: the support year of a calendar year by the schedule fixed at recognition (a later policy with fewer
 * or more support years does not move it); for centers tracked before it was recorded, from the policy
 * recorded then.
 */
function supportYearFixedAtRecognition(center: TrackedCenter, year: number, recognitionPolicy: Policy) {
  if (center.supportYears)
    return center.supportYears.find((y) => y.calendarYear === year)?.supportYear ?? null;
  return supportYearOf(center.recognizedOn, year, requireRecognitionPolicy(center, recognitionPolicy));
}

/**
 * Whether `year` may be assessed today, before its inputs are gathered: a center not revoked, a past
 * year since its recognition, not graded yet (a second assessment is a 409 whatever the inputs).
 */
export function requireAssessable(s: CenterState, year: number, today: string): TrackedCenter {
  const state = requireNotRevoked(s, `assess ${year}`);
  requireDate('today', today);
  if (!Number.isInteger(year)) throw new InvalidInputError('year', 'must be a calendar year');
  const recognitionYear = Number(state.recognizedOn.slice(0, 4));
  if (year < recognitionYear)
    throw new RuleViolationError('A17.1', `year ${year} is before recognition on ${state.recognizedOn}`, {
      field: 'year',
    });
  if (year >= Number(today.slice(0, 4)))
    throw new RuleViolationError('A17.1', `year ${year} has not ended; the assessment covers a past year`, {
      field: 'year',
    });
  if (state.grades[year])
    throw new IllegalTransitionError(
      `assessment for ${year} completed (${state.grades[year]})`,
      `assess ${year}`,
    );
  return state;
}

/**
 * A17.1: the bureau assesses a center for a past calendar year, once, showing the year's A6.5 activity
 * check (recorded, not a ground of its own: checkAnnualActivities); the grade history is then checked
 * for A17.3b (unqualified in two consecutive years → revoked).
 */
export function assess(c: Extract<CenterCommand, { kind: 'assess' }>, s: CenterState): CenterEvent[] {
  const state = requireAssessable(s, c.year, c.today);
  const today = c.today;
  const graded = gradeByMethod(c.method, c.policy);
  const activityCount = requireCount('activityCount', c.activityCount);
  const grades = [
    ...Object.entries(state.grades).map(([year, grade]) => ({ year: Number(year), grade })),
    { year: c.year, grade: graded.grade },
  ];
  const revocationCheck = underRules(() => decideConsecutiveUnqualified({ grades }, c.policy));
  const events: CenterEvent[] = [
    {
      type: T.AssessmentCompleted,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        year: c.year,
        supportYear: supportYearFixedAtRecognition(state, c.year, c.recognitionPolicy),
        ...graded,
        activityCount,
        activityCheck: checkAnnualActivities(c.year, activityCount, c.policy),
        reportCompliance: readCompliance(c.reportCompliance),
        assessedOn: today,
        revocationCheck,
      },
    },
  ];
  if (revocationCheck.outcome.revoke)
    events.push(revoked(state.centerId, today, 'A17.3b', 'consecutive-unqualified', revocationCheck));
  return events;
}
