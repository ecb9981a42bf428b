import eligible from '../examples/eligible-application.json';
import areaReduced from '../examples/major-change-area-reduced.json';
import { inputErrorField } from './input-error-field.spec-helper';
import { CalendarRegistry } from './calendar/calendar-registry';
import { decisionToJson } from './decision';
import { decideMajorChange } from './major-change';
import { DEFAULT_POLICY } from './policy/default-policy';
import { defaultPolicy, PolicyRegistry } from './policy/policy-registry';
import { validatePolicy } from './policy/validate-policy';
import { replayDecision, replayMatches } from './replay';

describe('major change re-check (A16)', () => {
  const decide = (input: unknown) => decideMajorChange(input, defaultPolicy);

  it('revokes when the changed facts no longer meet art. 6', () => {
    const d = decide(areaReduced);
    expect(d.outcome).toEqual({
      stillEligible: false,
      revoke: true,
      failed: ['A6.1:buildingArea'],
      failingAfterChange: ['A6.1:buildingArea'],
    });
    expect(d.reasons[0]).toMatchObject({ ruleId: 'A16', passed: false });
    expect(d.reasons).toHaveLength(11);
  });

  it('keeps the recognition when the changed facts still qualify', () => {
    const d = decide({ changes: ['operator_changed', 'operator_changed'], factsAfterChange: eligible });
    expect(d.outcome).toEqual({ stillEligible: true, revoke: false, failed: [], failingAfterChange: [] });
    expect(d.inputs.changes).toEqual(['operator_changed']);
  });

  it.each([
    [{ changes: [], factsAfterChange: eligible }, 'changes'],
    [{ changes: ['renamed'], factsAfterChange: eligible }, 'changes[0]'],
    [
      { changes: ['area_changed'], factsAfterChange: { ...eligible, premises: {} } },
      'factsAfterChange.premises.buildingAreaM2',
    ],
    [{ changes: ['area_changed'] }, 'factsAfterChange'],
  ])('rejects invalid input naming the field', (input, field) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });

  it('failed the recheck on a reversed activity period (A6.5, rules-2026.3 and .4)', () => {
    const reversed = {
      changes: ['direction_changed'],
      factsAfterChange: {
        ...eligible,
        activities: { count: 120, periodFrom: '2026-02-28', periodTo: '2025-03-01' },
      },
    };
    expect(decideMajorChange(reversed, defaultPolicy, 'rules-2026.4').outcome).toMatchObject({
      stillEligible: false,
      revoke: true,
      failed: ['A6.5:activityPeriod'],
    });
    expect(decideMajorChange(reversed, defaultPolicy, 'rules-2026.2').outcome.revoke).toBe(false);
  });

  it('does not revoke for activities (A6.5 is the calendar year’s, at the assessment; rules-2026.5)', () => {
    // A count of the year so far, reported with a change of direction: 30 in the first quarter.
    const partial = {
      changes: ['direction_changed'],
      factsBeforeChange: eligible,
      factsAfterChange: {
        ...eligible,
        activities: { count: 30, periodFrom: '2027-01-01', periodTo: '2027-03-31' },
      },
    };
    const d = decide(partial);
    expect(d.outcome).toMatchObject({
      stillEligible: true,
      revoke: false,
      failed: [],
      failingAfterChange: ['A6.5:activities'],
    });
    expect(d.reasons[0]!.message.en).toContain('checked for the calendar year at the annual assessment');
    expect(decideMajorChange(partial, defaultPolicy, 'rules-2026.4').outcome.revoke).toBe(true);
    expect(replayMatches(JSON.parse(decisionToJson(d)))).toBe(true);
  });

  describe('only what the change caused revokes (「因重大事项变更导致」, rules-2026.4)', () => {
    // Recognised with 10 institutions; a later policy asks for 12; the center then reports a larger area.
    const raisedRaw = { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' };
    const raised = validatePolicy({ ...raisedRaw, minInstitutions: 12 });
    const larger = { ...eligible, premises: { ...eligible.premises, buildingAreaM2: '8000.00' } };
    const grew = { changes: ['area_changed'], factsBeforeChange: eligible, factsAfterChange: larger };

    it('keeps a center whose change did not cause the failure, and says why', () => {
      const d = decideMajorChange(grew, raised);
      expect(d.outcome).toEqual({
        stillEligible: true,
        revoke: false,
        failed: [],
        failingAfterChange: ['A6.3:institutions'],
      });
      expect(d.reasons[0]).toMatchObject({ ruleId: 'A16', criterion: 'recheck', passed: true });
      expect(d.reasons[0]!.message.en).toContain(
        "A6.3:institutions fail(s) as before it and still meet(s) the measures' own minimum",
      );
      // The after-facts are still reported criterion by criterion.
      expect(d.reasons.find((r) => r.criterion === 'institutions')).toMatchObject({ passed: false });
    });

    it('revokes for the criterion the change made fail, not for the one failing before', () => {
      const shrank = { ...grew, factsAfterChange: { ...eligible, premises: { buildingAreaM2: '4000.00' } } };
      const d = decideMajorChange(shrank, raised);
      expect(d.outcome).toMatchObject({ stillEligible: false, revoke: true, failed: ['A6.1:buildingArea'] });
    });

    it('revokes for a criterion failing before when the change takes it below the measures themselves', () => {
      // 5500 m² under a 6000 m² policy fails before the change; 100 m² after it fails the measures' 5000.
      const areaRaised = validatePolicy({ ...raisedRaw, minAreaM2: '6000.00' });
      const at = (area: string) => ({ ...eligible, premises: { buildingAreaM2: area } });
      const moved = {
        changes: ['area_changed'],
        factsBeforeChange: at('5500.00'),
        factsAfterChange: at('100.00'),
      };
      expect(decideMajorChange(moved, areaRaised).outcome).toMatchObject({
        revoke: true,
        failed: ['A6.1:buildingArea'],
      });
      // 5200 m² still meets the measures' 5000: the raised policy alone does not revoke on the change.
      const smaller = { ...moved, factsAfterChange: at('5200.00') };
      expect(decideMajorChange(smaller, areaRaised).outcome).toMatchObject({ revoke: false, failed: [] });
      // Institutions from 10 to 2 under a policy asking 12: below the measures' 10, so caused.
      const fewer = {
        changes: ['direction_changed'],
        factsBeforeChange: eligible,
        factsAfterChange: { ...eligible, institutions: eligible.institutions.slice(0, 2) },
      };
      expect(decideMajorChange(fewer, raised).outcome).toMatchObject({
        revoke: true,
        failed: ['A6.3:institutions'],
      });
    });

    it('counts every failure as caused when no facts before the change are known', () => {
      const d = decideMajorChange({ changes: ['area_changed'], factsAfterChange: larger }, raised);
      expect(d.outcome).toMatchObject({ stillEligible: false, revoke: true, failed: ['A6.3:institutions'] });
    });

    it('names a bad field of the facts before the change', () => {
      const bad = { ...grew, factsBeforeChange: { ...eligible, premises: {} } };
      expect(inputErrorField(() => decide(bad))).toBe('factsBeforeChange.premises.buildingAreaM2');
    });

    it('replays a rules-2026.3 decision, which revoked, as it was decided', () => {
      const context = {
        policies: new PolicyRegistry([DEFAULT_POLICY, { ...raisedRaw, minInstitutions: 12 }]),
        calendars: new CalendarRegistry(),
      };
      const old = decideMajorChange(
        { changes: ['area_changed'], factsAfterChange: larger },
        raised,
        'rules-2026.3',
      );
      expect(old.outcome.revoke).toBe(true);
      expect(replayMatches(JSON.parse(decisionToJson(old)), context)).toBe(true);
      const now = decideMajorChange(grew, raised);
      expect(replayMatches(JSON.parse(decisionToJson(now)), context)).toBe(true);
      // The same inputs under rules-2026.3 revoke: the facts before the change are not read there.
      expect(replayDecision({ ...now, rulesetVersion: 'rules-2026.3' }, context).outcome).toEqual({
        stillEligible: false,
        revoke: true,
        failed: ['A6.3:institutions'],
      });
    });
  });
});
