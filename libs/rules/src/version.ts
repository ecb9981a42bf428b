/** Version of the decision code itself; bump when any rule's logic changes (replay compares it). */
export const RULESET_VERSION = 'rules-2026.8';

/**
 * Every rule-set version this build replays, oldest first, and what each changed. A recorded decision is
 * replayed with the code of the version it names: a rule whose logic changed keeps the older behaviour
 * behind `rulesetBefore` (e.g. expenditure.ts); every other rule decides the same in all of them.
 */
export const RULESET_VERSIONS = [
  'rules-2026.1',
  // A13: a category named like an Object.prototype member ('toString', 'constructor') is an unknown
  // category (A13:category), no longer a forbidden use with the member's source text as its name.
  'rules-2026.2',
  // A6.3: institutions are counted as the groups of entries linked by a shared credit code or normalised
  // name, transitively (吉林大学 without a code, 吉林大学 and 吉大 with one code: one institution).
  // A6.5: a declared activity period must run forwards and last at most 12 months (A6.5:activityPeriod).
  // A17.2: 不合格 grants nothing whatever the policy's gradeRatio.不合格 says.
  'rules-2026.3',
  // A6.3: strategic cooperations are counted once per partner (normalised name), whatever the level.
  // A16: revocation only for criteria the change made fail (「因重大事项变更导致不符合」): the facts before
  // the change are checked under the same policy, and a criterion failing before it does not revoke.
  'rules-2026.4',
  // A6.2: 成果展示, the measures' own word for the display function, counts as display (展示).
  // A16: an A6.5 failure does not revoke (a recognised center's activities are the calendar year's,
  // checked at the annual assessment); it is shown in the decision.
  'rules-2026.5',
  // A12.2: a year-1 grant the cap limited records its criterion as not passed (rate × approved costs above
  // the cap), the cap shown as the amount granted; before, every year-1 reason read as passed.
  'rules-2026.6',
  // A6.4: a broker share below the minimum is never shown rounded up to it (500/1001 read "50% < 50%"): cut
  // to as many decimals as tell it from the minimum (49.9%). The decision itself was always exact.
  // A9.3: a year's calendar data may also name days of the December before (the 2019 notice: 2018-12-29
  // worked, 12-30/31 off); loaded, they decide those days over the earlier year's, and a publicity end
  // they decided records that year's version too ('cn-2018.1+cn-2019.1'). Replay loads the recorded
  // years, so a decision made before the next year was loaded counts as it did.
  'rules-2026.7',
  // A13: the support-year window is part of the expenditure decision (A13:withinSupportYear): spending of
  // support year n lies in its calendar year and not after the decision day, with `spentOn`, `supportYear`,
  // `calendarYear` and `decidedOn` among the inputs. Before, finance refused it outside the rule (a 422
  // that recorded nothing); decisions recorded under rules-2026.7 and earlier lack those inputs.
  'rules-2026.8',
] as const;

export type RulesetVersion = (typeof RULESET_VERSIONS)[number];

export function isReplayableRulesetVersion(version: unknown): version is RulesetVersion {
  return (RULESET_VERSIONS as readonly unknown[]).includes(version);
}

/** True when `ruleset` is a version this build holds that is older than `version`. */
export function rulesetBefore(ruleset: RulesetVersion, version: RulesetVersion): boolean {
  return RULESET_VERSIONS.indexOf(ruleset) < RULESET_VERSIONS.indexOf(version);
}
