import { Decision, makeDecision, reason } from './decision';
import { checkEligibility } from './eligibility';
import { EligibilityFacts, readEligibilityFacts } from './eligibility-facts';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { readArray, readObject, readOneOf } from './values/read';
import { RULESET_VERSION, RulesetVersion } from './version';

export const MAJOR_CHANGE_KINDS = [
  'operator_changed',
  'investor_ended_cooperation',
  'area_changed',
  'direction_changed',
] as const;
export type MajorChangeKind = (typeof MAJOR_CHANGE_KINDS)[number];

export interface MajorChangeInputs {
  changes: MajorChangeKind[];
  factsAfterChange: EligibilityFacts;
}

export interface MajorChangeOutcome {
  stillEligible: boolean;
  revoke: boolean;
  failed: string[];
}

/**
 * A16: the changed facts are checked against art. 6 again; failing means revocation (reason A16).
 * `ruleset` is for replay only: a decision recorded under an older rule-set is re-run with its code.
 */
export function decideMajorChange(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<MajorChangeInputs, MajorChangeOutcome> {
  const o = readObject(raw, 'input', 'A16');
  const changes = readArray(o.changes, 'changes', 'A16').map((c, i) =>
    readOneOf(c, MAJOR_CHANGE_KINDS, `changes[${i}]`, 'A16'),
  );
  if (changes.length === 0) throw new RuleInputError('changes', 'name at least one major change', 'A16');
  const inputs = {
    changes: [...new Set(changes)],
    factsAfterChange: readEligibilityFacts(o.factsAfterChange, 'factsAfterChange.'),
  };
  const { reasons, outcome } = checkEligibility(inputs.factsAfterChange, policy, ruleset);
  const stillEligible = outcome.eligible;
  return makeDecision({
    rule: 'major-change',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs,
    outcome: { stillEligible, revoke: !stillEligible, failed: outcome.failed },
    reasons: [
      reason(
        'A16',
        'recheck',
        outcome.failed,
        [],
        stillEligible,
        stillEligible
          ? `重大变更（${inputs.changes.join('、')}）后仍符合认定条件`
          : `重大变更后不再符合认定条件，撤销认定`,
        stillEligible
          ? `after the major change (${inputs.changes.join(', ')}) the center still meets art. 6`
          : `after the major change the center no longer meets art. 6 (${outcome.failed.join(', ')}): revoke`,
      ),
      ...reasons,
    ],
  });
}
