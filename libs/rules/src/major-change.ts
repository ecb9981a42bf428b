import { Decision, makeDecision, reason } from './decision';
import { checkEligibility } from './eligibility';
import { EligibilityFacts, readEligibilityFacts } from './eligibility-facts';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { atMeasuresFloor } from './policy/publishable-policy';
import { readArray, readObject, readOneOf } from './values/read';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

export const MAJOR_CHANGE_KINDS = [
  'operator_changed',
  'investor_ended_cooperation',
  'area_changed',
  'direction_changed',
] as const;
export type MajorChangeKind = (typeof MAJOR_CHANGE_KINDS)[number];

export interface MajorChangeInputs {
  changes: MajorChangeKind[];
  /** From rules-2026.4: the facts before the change, checked under the same policy (absent: none known). */
  factsBeforeChange?: EligibilityFacts;
  factsAfterChange: EligibilityFacts;
}

export interface MajorChangeOutcome {
  /** The recognition stands (A16): no criterion fails because of the change. */
  stillEligible: boolean;
  revoke: boolean;
  /** The criteria the change made fail (before rules-2026.4: every criterion failing after it). */
  failed: string[];
  /** From rules-2026.4: every criterion the facts after the change fail, caused by it or not. */
  failingAfterChange?: string[];
}

/**
 * A16: 「因重大事项变更导致不符合认定条件的，取消资格」 — the facts after the change are checked against art. 6,
 * and a criterion failing because of the change revokes (reason A16). From rules-2026.4 the facts before
 * the change are checked under the same policy: a criterion they already failed (the city raised its
 * policy since recognition) does not revoke — unless the facts after the change fail it even at the
 * measures' own minimum (ART6_MEASURES: a 5500 m² center under a 6000 m² policy that moves into 100 m²).
 * Without facts before, every failure counts. `ruleset` is for replay only: a decision recorded under an
 * older rule-set is re-run with its code.
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
  const inputs: MajorChangeInputs = {
    changes: [...new Set(changes)],
    factsAfterChange: readEligibilityFacts(o.factsAfterChange, 'factsAfterChange.'),
  };
  const kinds = { zh: inputs.changes.join('、'), en: inputs.changes.join(', ') };
  const { reasons, outcome } = checkEligibility(inputs.factsAfterChange, policy, ruleset);
  if (rulesetBefore(ruleset, 'rules-2026.4')) {
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
          stillEligible ? `重大变更（${kinds.zh}）后仍符合认定条件` : `重大变更后不再符合认定条件，撤销认定`,
          stillEligible
            ? `after the major change (${kinds.en}) the center still meets art. 6`
            : `after the major change the center no longer meets art. 6 (${outcome.failed.join(', ')}): revoke`,
        ),
        ...reasons,
      ],
    });
  }
  if (o.factsBeforeChange !== undefined)
    inputs.factsBeforeChange = readEligibilityFacts(o.factsBeforeChange, 'factsBeforeChange.');
  const failedBefore = inputs.factsBeforeChange
    ? checkEligibility(inputs.factsBeforeChange, policy, ruleset).outcome.failed
    : [];
  const belowMeasures = checkEligibility(inputs.factsAfterChange, atMeasuresFloor(policy), ruleset).outcome
    .failed;
  // From rules-2026.5 A6.5 does not revoke here: a recognised center's activities are those recorded for
  // the calendar year, checked at the annual assessment (RULES.md A6.5), not a count reported with a change.
  const yearly = rulesetBefore(ruleset, 'rules-2026.5')
    ? []
    : outcome.failed.filter((f) => f.startsWith('A6.5:'));
  const failed = outcome.failed.filter(
    (f) => !yearly.includes(f) && (!failedBefore.includes(f) || belowMeasures.includes(f)),
  );
  const kept = outcome.failed.filter((f) => !failed.includes(f) && !yearly.includes(f));
  const stillEligible = failed.length === 0;
  const yearlyNote = yearly.length
    ? {
        zh: `；活动场次（${yearly.join('、')}）按自然年度在年度考核时核查，不因重大变更撤销`,
        en: `; activities (${yearly.join(', ')}) are checked for the calendar year at the annual assessment, not revoked for at a major change`,
      }
    : { zh: '', en: '' };
  return makeDecision({
    rule: 'major-change',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs,
    outcome: { stillEligible, revoke: !stillEligible, failed, failingAfterChange: outcome.failed },
    reasons: [
      reason(
        'A16',
        'recheck',
        failed,
        [],
        stillEligible,
        (!stillEligible
          ? `重大变更（${kinds.zh}）导致不再符合认定条件（${failed.join('、')}），撤销认定`
          : kept.length > 0
            ? `重大变更（${kinds.zh}）后不符合项（${kept.join('、')}）在变更前已存在且仍达到本办法规定的最低条件，并非变更导致，不撤销认定`
            : `重大变更（${kinds.zh}）后仍符合认定条件`) + yearlyNote.zh,
        (!stillEligible
          ? `the major change (${kinds.en}) made the center fail art. 6 (${failed.join(', ')}): revoke`
          : kept.length > 0
            ? `after the major change (${kinds.en}) ${kept.join(', ')} fail(s) as before it and still meet(s) the measures' own minimum: not caused by the change, no revocation`
            : `after the major change (${kinds.en}) the center still meets art. 6`) + yearlyNote.en,
      ),
      ...reasons,
    ],
  });
}
