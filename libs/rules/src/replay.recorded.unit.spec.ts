import { canonicalJson } from '@nqpf/contracts';
import r1 from './recorded-decisions/rules-2026.1.json';
import r2 from './recorded-decisions/rules-2026.2.json';
import r3 from './recorded-decisions/rules-2026.3.json';
import r4 from './recorded-decisions/rules-2026.4.json';
import r5 from './recorded-decisions/rules-2026.5.json';
import r6 from './recorded-decisions/rules-2026.6.json';
import r7 from './recorded-decisions/rules-2026.7.json';
import { CalendarRegistry } from './calendar/calendar-registry';
import { Decision, Reason } from './decision';
import { DEFAULT_POLICY } from './policy/default-policy';
import { PolicyRegistry } from './policy/policy-registry';
import { replayDecision, replayMatches } from './replay';
import { isReplayableRulesetVersion, RULESET_VERSION } from './version';

/**
 * Decisions recorded by the released rule-sets themselves. Each file in recorded-decisions/ was written by
 * libs/rules as it was at `recordedBy` (the last commit whose RULESET_VERSION is the file's), deciding with
 * that build's code and `decisionToJson` — not by this build deciding under an old version, which replays
 * by construction. So a change to a legacy branch shows as a stored decision that no longer replays.
 * A file holds the decisions of the rules that kept a legacy branch where that rule-set decided otherwise
 * than the one before, the one after or this build, with the policies they name.
 */
interface Recording {
  rulesetVersion: string;
  recordedBy: string;
  policies: unknown[];
  decisions: { name: string; decision: Decision<unknown, unknown> }[];
}

const recordings = [r1, r2, r3, r4, r5, r6, r7] as unknown as Recording[];

const contextOf = (r: Recording) => ({
  policies: new PolicyRegistry([DEFAULT_POLICY, ...r.policies]),
  calendars: new CalendarRegistry(),
});

type Recorded = Decision<Record<string, unknown>, Record<string, unknown>>;
function recorded(version: string, name: string): Recorded {
  const recording = recordings.find((r) => r.rulesetVersion === version);
  const found = recording?.decisions.find((d) => d.name.startsWith(name));
  if (!found) throw new Error(`no decision "${name}" recorded by ${version}`);
  return found.decision as Recorded;
}
const reasonOf = (d: Recorded, criterion: string): Reason | undefined =>
  d.reasons.find((r) => r.criterion === criterion);

const TWO_CODES = 'eligibility: one normalised name listed with two credit codes';
const LINKED = 'eligibility: 吉林大学 without a code, with its code, and 吉大';
const CHANGED_A6 = 'eligibility: one cooperation listed twice';
const REVERSED = 'major-change: a reversed activity period';
const PARTIAL = 'major-change: 30 activities in the first quarter';
const RAISED = 'major-change: a larger area under a policy raised to 12 institutions';
const CAPPED = 'subsidy-year1: approved 7,000,000.00, above the cap';
const UNQUALIFIED = 'subsidy-annual: 不合格 under a policy with a ratio above 0';
const TO_STRING = 'expenditure: a category named toString';

describe('replay of decisions recorded by the released rule-sets', () => {
  it('holds recordings of older rule-sets this build replays, each written by its own commit', () => {
    expect(recordings.map((r) => r.rulesetVersion)).toEqual([
      'rules-2026.1',
      'rules-2026.2',
      'rules-2026.3',
      'rules-2026.4',
      'rules-2026.5',
      'rules-2026.6',
      'rules-2026.7',
    ]);
    for (const r of recordings) {
      expect(isReplayableRulesetVersion(r.rulesetVersion) && r.rulesetVersion !== RULESET_VERSION).toBe(true);
      expect(r.recordedBy).toMatch(/^[0-9a-f]{40}$/);
      expect(new Set(r.decisions.map((d) => d.decision.rulesetVersion))).toEqual(new Set([r.rulesetVersion]));
    }
  });

  it.each(
    recordings.flatMap((r) => r.decisions.map((d) => [r.rulesetVersion, d.name, r, d.decision] as const)),
  )('%s: "%s" replays byte for byte', (_version, _name, recording, decision) => {
    const context = contextOf(recording);
    // The full record first, for a readable difference; then the byte-identical comparison auditors use.
    expect(JSON.parse(canonicalJson(replayDecision(decision, context)))).toEqual(decision);
    expect(replayMatches(decision, context)).toBe(true);
  });

  // What each rule-set decided on either side of the change that ended it, as RULESET_VERSIONS describes.
  it.each([
    // A6.3 before rules-2026.3: each entry compared with those kept, by credit code where both have one.
    ['rules-2026.1', 'one name with two credit codes is two institutions (A6.3)', TWO_CODES, 10],
    ['rules-2026.2', 'one name with two credit codes is two institutions (A6.3)', TWO_CODES, 10],
    ['rules-2026.3', 'one name with two credit codes is one institution (A6.3)', TWO_CODES, 9],
    ['rules-2026.2', '吉林大学 and 吉大 linked only through a code are two (A6.3)', LINKED, 10],
    ['rules-2026.3', '吉林大学 and 吉大 linked through a code are one (A6.3)', LINKED, 9],
  ] as const)('%s: %s', (version, _what, name, distinct) => {
    expect(recorded(version, name).outcome).toMatchObject({ institutions: { distinct } });
  });

  it.each([
    ['rules-2026.3', 'a cooperation listed twice counts twice (A6.3)', 'strategicCooperation', 2],
    ['rules-2026.4', 'a cooperation listed twice counts once (A6.3)', 'strategicCooperation', 1],
    ['rules-2026.6', 'a broker share of 500/1001 reads as 50% (A6.4)', 'brokerShare', '500/1001 = 50%'],
    ['rules-2026.7', 'a broker share of 500/1001 reads as 49.9% (A6.4)', 'brokerShare', '500/1001 = 49.9%'],
  ] as const)('%s: %s', (version, _what, criterion, measured) => {
    expect(reasonOf(recorded(version, CHANGED_A6), criterion)).toMatchObject({ measured });
  });

  it.each([
    ['rules-2026.2', 'no A6.5 activity period criterion', undefined, ['A6.2:functions', 'A6.4:brokerShare']],
    [
      'rules-2026.3',
      'a three-year activity period fails A6.5',
      false,
      ['A6.2:functions', 'A6.4:brokerShare', 'A6.5:activityPeriod'],
    ],
    [
      'rules-2026.4',
      '成果展示 is no display function (A6.2)',
      false,
      ['A6.2:functions', 'A6.3:strategicCooperation', 'A6.4:brokerShare', 'A6.5:activityPeriod'],
    ],
    [
      'rules-2026.5',
      '成果展示 is the display function (A6.2)',
      false,
      ['A6.3:strategicCooperation', 'A6.4:brokerShare', 'A6.5:activityPeriod'],
    ],
  ] as const)('%s: %s', (version, _what, periodPassed, failed) => {
    const d = recorded(version, CHANGED_A6);
    expect(d.outcome).toMatchObject({ eligible: false, failed });
    expect(reasonOf(d, 'activityPeriod')?.passed).toBe(periodPassed);
  });

  it.each([
    ['rules-2026.2', 'a reversed activity period is not checked: kept (A16)', REVERSED, false],
    ['rules-2026.3', 'a reversed activity period fails A6.5: revoked (A16)', REVERSED, true],
    ['rules-2026.4', 'a reversed activity period fails A6.5: revoked (A16)', REVERSED, true],
    ['rules-2026.5', 'an A6.5 failure does not revoke (A16)', REVERSED, false],
    ['rules-2026.4', '30 activities in a quarter revoke (A16)', PARTIAL, true],
    ['rules-2026.5', '30 activities in a quarter do not revoke (A16)', PARTIAL, false],
    ['rules-2026.3', 'a raised policy revokes on an unrelated change (A16)', RAISED, true],
    ['rules-2026.4', 'only a failure the change caused revokes (A16)', RAISED, false],
  ] as const)('%s: %s', (version, _what, name, revoke) => {
    expect(recorded(version, name).outcome).toMatchObject({ revoke });
  });

  it('rules-2026.5 and .6: a capped year-1 grant reads as passed, then as not passed (A12.2)', () => {
    expect(recorded('rules-2026.5', CAPPED).reasons[0]).toMatchObject({
      measured: '350000000',
      passed: true,
    });
    expect(recorded('rules-2026.6', CAPPED).reasons[0]).toMatchObject({
      measured: '350000000',
      passed: false,
    });
  });

  it('rules-2026.2 and .3: 不合格 is paid by the policy ratio, then never (A17.2)', () => {
    expect(recorded('rules-2026.2', UNQUALIFIED).outcome).toEqual({ amountFen: '50000000', granted: true });
    expect(recorded('rules-2026.3', UNQUALIFIED).outcome).toEqual({ amountFen: '0', granted: false });
  });

  it('rules-2026.1 and .2: a category named toString is a forbidden use, then an unknown category (A13)', () => {
    expect(recorded('rules-2026.1', TO_STRING).outcome).toEqual({
      accepted: false,
      rejectedFor: ['A13:forbiddenUse'],
    });
    expect(recorded('rules-2026.2', TO_STRING).outcome).toEqual({
      accepted: false,
      rejectedFor: ['A13:category'],
    });
    // Recorded before rules-2026.8: no support-year window among the inputs.
    expect(recorded('rules-2026.7', TO_STRING).inputs).not.toHaveProperty('spentOn');
  });
});
