import eligible from '../../rules/examples/eligible-application.json';
import {
  CalendarRegistry,
  DEFAULT_POLICY,
  decideEligibility,
  decideExpenditure,
  decidePublicityEnd,
  defaultPolicy,
  defaultPolicyRegistry,
  PolicyRegistry,
  bundledCalendar,
  RULESET_VERSION,
} from '@nqpf/rules';
import { replayRecorded } from './replay-recorded';

const context = () => ({ policies: defaultPolicyRegistry(), calendars: new CalendarRegistry() });

describe('replaying one recorded decision', () => {
  const recorded = decideEligibility(eligible, defaultPolicy);

  it('matches a decision taken by this rule-set with a known policy', () => {
    expect(replayRecorded(recorded, context())).toEqual({ match: true });
  });

  it('replays a calendar decision with the calendar version it recorded', () => {
    const publicity = decidePublicityEnd({ publishedOn: '2026-01-30' }, defaultPolicy, bundledCalendar());
    expect(replayRecorded(publicity, context())).toEqual({ match: true });
  });

  it('names the fields that differ when the recorded outcome was altered', () => {
    const altered = { ...recorded, outcome: { eligible: false } };
    expect(replayRecorded(altered, context())).toEqual({ match: false, reason: 'replay differs in outcome' });
  });

  it('matches a decision recorded under an older rule-set this build still holds (rules-2026.1)', () => {
    // rules-2026.3 added the A6.5 period reason: a 2026.1 eligibility decision replays without it.
    const eligibility2026 = decideEligibility(eligible, defaultPolicy, 'rules-2026.1');
    expect(replayRecorded(eligibility2026, context())).toEqual({ match: true });
    expect(replayRecorded({ ...recorded, rulesetVersion: 'rules-2026.1' }, context())).toEqual({
      match: false,
      reason: 'replay differs in reasons',
    });
    // Before Object.hasOwn, 'toString' was taken for a forbidden use; the replay keeps that result.
    const old = decideExpenditure(
      { category: 'toString', amountFen: '1', disbursedFen: '10' },
      defaultPolicy,
      'rules-2026.1',
    );
    expect(replayRecorded(old, context())).toEqual({ match: true });
    expect(replayRecorded({ ...old, rulesetVersion: RULESET_VERSION }, context())).toMatchObject({
      match: false,
    });
  });

  it('is a mismatch, saying why, when the rule-set version is unknown to this build', () => {
    const verdict = replayRecorded({ ...recorded, rulesetVersion: 'rules-2019.1' }, context());
    expect(verdict).toEqual({
      match: false,
      reason: expect.stringContaining("recorded under rule-set version 'rules-2019.1'"),
    });
  });

  it('is a mismatch when the policy version was never registered', () => {
    const verdict = replayRecorded({ ...recorded, policyVersion: 'policy-1999.1' }, context());
    expect(verdict).toEqual({ match: false, reason: expect.stringContaining("'policy-1999.1'") });
  });

  it('uses the recorded policy version, not the latest one registered', () => {
    const stricter = { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' };
    const policies = new PolicyRegistry([DEFAULT_POLICY, { ...stricter, minStrategicCooperations: 5 }]);
    expect(replayRecorded(recorded, { policies, calendars: new CalendarRegistry() })).toEqual({
      match: true,
    });
  });

  it('is a mismatch when the rule name is unknown', () => {
    const verdict = replayRecorded({ ...recorded, rule: 'lottery' }, context());
    expect(verdict).toEqual({ match: false, reason: expect.stringContaining("'lottery'") });
  });
});
