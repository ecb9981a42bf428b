import eligible from '../../rules/examples/eligible-application.json';
import { decideEligibility, decideGrade, defaultPolicy } from '@nqpf/rules';
import { findMalformedDecisions, findRecordedDecisions, isDecisionRecord } from './recorded-decisions';

describe('decisions recorded in event payloads', () => {
  const eligibility = decideEligibility(eligible, defaultPolicy);
  const grade = decideGrade({ score: '91' }, defaultPolicy);

  it('finds a decision under any field name, with the field it sits in', () => {
    const found = findRecordedDecisions({
      applicationId: 'c1',
      admissibility: eligibility,
      nested: { revocationCheck: grade },
    });
    expect(found.map((d) => [d.field, d.decision.rule])).toEqual([
      ['admissibility', 'eligibility'],
      ['nested.revocationCheck', 'grade-from-score'],
    ]);
  });

  it('finds decisions inside lists and ignores a null decision', () => {
    const found = findRecordedDecisions({ decision: null, grants: [{ decision: grade }] });
    expect(found.map((d) => d.field)).toEqual(['grants.0.decision']);
  });

  it('does not take an object missing a decision field for a decision', () => {
    const { reasons: _omitted, ...withoutReasons } = eligibility;
    expect(isDecisionRecord(withoutReasons)).toBe(false);
    expect(isDecisionRecord({ ...eligibility, rule: 7 })).toBe(false);
    expect(isDecisionRecord(eligibility)).toBe(true);
  });

  it('names what was recorded as a decision but lacks part of it, so a replay counts it as a mismatch', () => {
    const { reasons: _omitted, ...stripped } = eligibility;
    const payload = {
      decision: stripped,
      other: { ...grade, rulesetVersion: 3 },
      whole: eligibility,
      revocation: { rule: 'A17.3b', reason: 'two years 不合格' },
    };
    expect(findMalformedDecisions(payload)).toEqual([
      { field: 'decision', rule: 'eligibility', lacks: ['reasons'] },
      { field: 'other', rule: 'grade-from-score', lacks: ['rulesetVersion'] },
    ]);
    expect(findRecordedDecisions(payload).map((d) => d.field)).toEqual(['whole']);
  });
});
