import eligible from '../examples/eligible-application.json';
import areaReduced from '../examples/major-change-area-reduced.json';
import { inputErrorField } from './input-error-field.spec-helper';
import { decideMajorChange } from './major-change';
import { defaultPolicy } from './policy/policy-registry';

describe('major change re-check (A16)', () => {
  const decide = (input: unknown) => decideMajorChange(input, defaultPolicy);

  it('revokes when the changed facts no longer meet art. 6', () => {
    const d = decide(areaReduced);
    expect(d.outcome).toEqual({ stillEligible: false, revoke: true, failed: ['A6.1:buildingArea'] });
    expect(d.reasons[0]).toMatchObject({ ruleId: 'A16', passed: false });
    expect(d.reasons).toHaveLength(11);
  });

  it('keeps the recognition when the changed facts still qualify', () => {
    const d = decide({ changes: ['operator_changed', 'operator_changed'], factsAfterChange: eligible });
    expect(d.outcome).toEqual({ stillEligible: true, revoke: false, failed: [] });
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

  it('fails the recheck on a reversed activity period (A6.5, rules-2026.3)', () => {
    const reversed = {
      changes: ['direction_changed'],
      factsAfterChange: {
        ...eligible,
        activities: { count: 120, periodFrom: '2026-02-28', periodTo: '2025-03-01' },
      },
    };
    expect(decide(reversed).outcome).toEqual({
      stillEligible: false,
      revoke: true,
      failed: ['A6.5:activityPeriod'],
    });
    expect(decideMajorChange(reversed, defaultPolicy, 'rules-2026.2').outcome.revoke).toBe(false);
  });
});
