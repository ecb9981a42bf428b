import { Grade, GRADE_EN, GRADES } from './catalogue';
import { Decision, makeDecision, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { applyFraction, Fraction, formatFraction } from './values/fraction';
import { FenText, fenText, formatYuan, readFen } from './values/fen';
import { show } from './values/local-date';
import { readBoolean, readCount, readObject } from './values/read';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

/** A12.2: min(cap, rate × approved costs), rounded down to the fen. */
export function year1SubsidyFen(approvedCostsFen: bigint, policy: Policy): bigint {
  const byRate = applyFraction(approvedCostsFen, policy.year1Rate);
  const cap = BigInt(policy.year1CapFen);
  return byRate < cap ? byRate : cap;
}

/**
 * A17.2 "不合格的，不给予后补助支持": 不合格 grants nothing whatever the policy says (publication refuses
 * another ratio, but a policy published before that check may hold one). rules-2026.1 and 2026.2 took the
 * policy's ratio for every grade; `ruleset` keeps that for replaying decisions recorded under them.
 */
export function gradeRatioOf(
  grade: Grade,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Fraction {
  if (grade === '不合格' && !rulesetBefore(ruleset, 'rules-2026.3')) return { num: 0, den: 1 };
  return policy.gradeRatio[grade];
}

/** A12.3 / A17.2: base × the ratio of the previous support year's grade, rounded down to the fen. */
export function annualSubsidyFen(
  grade: Grade,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): bigint {
  return applyFraction(BigInt(policy.annualBaseFen), gradeRatioOf(grade, policy, ruleset));
}

export interface Year1SubsidyInputs {
  approvedCostsFen: FenText;
}

export interface SubsidyOutcome {
  amountFen: FenText;
  granted: boolean;
}

/**
 * A12.2: min(cap, rate × approved costs). A capped grant records its criterion as not passed: the measured
 * amount is above the threshold, and the reason says the cap was granted instead (from rules-2026.6).
 * `ruleset` is for replay only: a decision recorded under an older rule-set is re-run with its code.
 */
export function decideYear1Subsidy(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<Year1SubsidyInputs, SubsidyOutcome & { capped: boolean }> {
  const approved = readFen(readObject(raw, 'input', 'A12.2').approvedCostsFen, 'approvedCostsFen', 'A12.2');
  const byRate = applyFraction(approved, policy.year1Rate);
  const amount = year1SubsidyFen(approved, policy);
  const capped = amount < byRate;
  return makeDecision({
    rule: 'subsidy-year1',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs: { approvedCostsFen: fenText(approved) },
    outcome: { amountFen: fenText(amount), granted: amount > 0n, capped },
    reasons: [
      reason(
        'A12.2',
        'year1Amount',
        fenText(byRate),
        `<= ${policy.year1CapFen}`,
        !capped || rulesetBefore(ruleset, 'rules-2026.6'),
        `核定建设运营经费${formatYuan(approved)}×${formatFraction(policy.year1Rate)}=${formatYuan(byRate)}，` +
          `${capped ? `超过上限，按上限${formatYuan(amount)}补助` : `补助${formatYuan(amount)}`}`,
        `${formatFraction(policy.year1Rate)} of approved costs ${formatYuan(approved)} is ${formatYuan(byRate)}; ` +
          `${capped ? `capped at ${formatYuan(amount)}` : `granted ${formatYuan(amount)}`}`,
      ),
    ],
  });
}

export interface AnnualSubsidyInputs {
  supportYear: number;
  /** The grade of support year n − 1; null while that assessment does not exist. */
  previousYearGrade: Grade | null;
  revoked: boolean;
}

export function readAnnualSubsidyInputs(raw: unknown, policy: Policy): AnnualSubsidyInputs {
  const o = readObject(raw, 'input', 'A12.3');
  const supportYear = readCount(o.supportYear, 'supportYear', 'A12.1');
  if (supportYear < 2 || supportYear > policy.supportYears)
    throw new RuleInputError(
      'supportYear',
      `expected a support year from 2 to ${policy.supportYears}, got ${supportYear}`,
      'A12.1',
    );
  const grade = o.previousYearGrade ?? null;
  if (grade !== null && !(GRADES as readonly unknown[]).includes(grade))
    throw new RuleInputError(
      'previousYearGrade',
      `expected one of ${GRADES.join(', ')} or null, got ${show(grade)}`,
      'A17.1',
    );
  const revoked = o.revoked === undefined ? false : readBoolean(o.revoked, 'revoked', 'A17.3');
  return { supportYear, previousYearGrade: grade as Grade | null, revoked };
}

/**
 * Years 2..supportYears: nothing while the previous year's grade is missing or after revocation.
 * `ruleset` is for replay only: a decision recorded under an older rule-set is re-run with its code.
 */
export function decideAnnualSubsidy(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<AnnualSubsidyInputs, SubsidyOutcome> {
  const inputs = readAnnualSubsidyInputs(raw, policy);
  const { supportYear, previousYearGrade: grade, revoked } = inputs;
  const ratio = grade === null ? '' : formatFraction(gradeRatioOf(grade, policy, ruleset));
  const amount = revoked || grade === null ? 0n : annualSubsidyFen(grade, policy, ruleset);
  const reasons = [
    reason(
      'A17.3',
      'notRevoked',
      revoked,
      false,
      !revoked,
      revoked ? '认定已撤销，不再给予支持' : '认定有效',
      revoked ? 'recognition revoked: no further support' : 'recognition in force',
    ),
    grade === null
      ? reason(
          'A12.3',
          'previousYearGrade',
          null,
          'an assessment grade',
          false,
          `第${supportYear - 1}支持年度尚无考核等次，暂不补助`,
          `support year ${supportYear - 1} has no assessment grade yet: nothing granted until it exists`,
        )
      : reason(
          'A17.2',
          'gradeRatio',
          grade,
          ratio,
          amount > 0n,
          `第${supportYear - 1}支持年度考核${grade}，按基数${formatYuan(BigInt(policy.annualBaseFen))}的${ratio}补助${formatYuan(amount)}`,
          `support year ${supportYear - 1} graded ${grade} (${GRADE_EN[grade]}): ${ratio} of base ` +
            `${formatYuan(BigInt(policy.annualBaseFen))} = ${formatYuan(amount)}`,
        ),
  ];
  return makeDecision({
    rule: 'subsidy-annual',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs,
    outcome: { amountFen: fenText(amount), granted: amount > 0n },
    reasons,
  });
}
