import { Grade, GRADE_EN } from './catalogue';
import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { formatHundredths, readHundredths } from './values/hundredths';
import { readObject } from './values/read';

export interface GradeInputs {
  score: string;
}

export interface GradeOutcome {
  grade: Grade;
}

/** A17.1: the band whose lower bound (inclusive) the score reaches; scores are 0–100 with up to 2 decimals. */
export function gradeForScore(scoreHundredths: number, policy: Policy): Grade {
  const band = [...policy.gradeBands].reverse().find((b) => scoreHundredths >= Math.round(b.fromScore * 100));
  return (band ?? policy.gradeBands[0]).grade;
}

export function readScore(value: unknown): number {
  const score = readHundredths(value, 'score', 'A17.1');
  if (score > 10000)
    throw new RuleInputError('score', `expected a score from 0 to 100, got ${value}`, 'A17.1');
  return score;
}

export function decideGrade(raw: unknown, policy: Policy): Decision<GradeInputs, GradeOutcome> {
  const score = readScore(readObject(raw, 'input', 'A17.1').score);
  const grade = gradeForScore(score, policy);
  const band = policy.gradeBands.find((b) => b.grade === grade)!;
  const text = formatHundredths(score);
  return makeDecision({
    rule: 'grade-from-score',
    policyVersion: policy.version,
    inputs: { score: text },
    outcome: { grade },
    reasons: [
      reason(
        'A17.1',
        'scoreBand',
        text,
        `>= ${band.fromScore}`,
        true,
        `考核得分${text}，位于${band.fromScore}分以上的档次，评定为${grade}`,
        `Score ${text} is in the band from ${band.fromScore}: graded ${grade} (${GRADE_EN[grade]})`,
      ),
    ],
  });
}
