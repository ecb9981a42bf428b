import { IllegalTransitionError, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { Policy } from '@nqpf/rules';
import { CenterCommand } from './center.types';
import {
  areaShrank,
  CENTER,
  fieldOf,
  given,
  graded,
  history,
  policy,
  revisedTo,
  scored,
  track,
} from './center.spec-helper';

/** A version in force from after the 2027 assessment (2028-02-15): it cannot have graded it. */
const later: Policy = { ...policy, version: 'policy-2028.1', effectiveFrom: '2028-03-01' };

type Revise = Extract<CenterCommand, { kind: 'revise-assessment' }>;

/** Corrected indicator scores of `year`, graded by the bands of `gradePolicy`. */
const rescored = (year: number, gradePolicy: Policy, ...scores: (string | number)[]): Revise => ({
  kind: 'revise-assessment',
  year,
  method: { kind: 'score', indicators: scores.map((score, i) => ({ name: `indicator ${i + 1}`, score })) },
  reason: '指标得分录入错误：59应为95',
  today: `${year + 1}-03-20`,
  gradePolicy,
  policy,
});

const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
};

describe('grade revision (A17.1, a correction with a written reason)', () => {
  const assessed = history(track('2026-03-10'), graded(2026, '不合格'));

  it('replaces a direct grade with another, recording the previous grade, the reason and the A17.3b check', () => {
    const events = given(assessed).when(revisedTo(2026, '合格', '2027-02-16'));
    expect(events).toEqual([
      {
        type: 'assessment.assessment-revised',
        schemaVersion: 1,
        payload: {
          centerId: CENTER,
          year: 2026,
          supportYear: 1,
          previousGrade: '不合格',
          grade: '合格',
          method: 'direct',
          indicators: null,
          score: null,
          gradeReason: '2026年度考核意见（更正）',
          reason: '录入错误，按考核结论更正',
          assessedOn: '2027-02-15',
          revisedOn: '2027-02-16',
          decision: null,
          revocationCheck: expect.objectContaining({
            rule: 'consecutive-unqualified',
            policyVersion: policy.version,
            inputs: { grades: [{ year: 2026, grade: '合格' }] },
            outcome: { revoke: false, revokedAfterYear: null, longestRun: 0 },
          }),
        },
      },
    ]);
    const state = given([...assessed, ...events]).state;
    expect(state).toMatchObject({ status: 'recognised', grades: { 2026: '合格' } });
  });

  it('grades corrected scores under the bands the year was assessed under, not today’s', () => {
    // Assessed 2028-02-15 under the default bands: 59 → 不合格; 95 keyed as 59.
    const events = history(track('2026-03-10'), scored(2027, 59));
    const [revised] = given(events).when(rescored(2027, policy, 95));
    expect(revised!.payload).toMatchObject({
      previousGrade: '不合格',
      grade: '优秀',
      method: 'score',
      score: '95.00',
      indicators: [{ name: 'indicator 1', score: '95.00' }],
      gradeReason: null,
      decision: { rule: 'grade-from-score', policyVersion: policy.version, outcome: { grade: '优秀' } },
    });
    expect(errorOf(() => given(events).when(rescored(2027, later, 95)))).toBeInstanceOf(InvalidInputError);
  });

  it('takes the scores as an assessment takes them: a field the method does not read is a 400 naming it', () => {
    const c = rescored(2026, policy, 95);
    const withGrade = { ...c, method: { ...c.method, grade: '优秀' } } as CenterCommand;
    expect(fieldOf(() => given(assessed).when(withGrade))).toBe('method.grade');
    const direct = revisedTo(2026, '合格');
    const noGradeReason = {
      ...direct,
      method: { kind: 'direct', grade: '合格', reason: ' ' },
    } as CenterCommand;
    expect(fieldOf(() => given(assessed).when(noGradeReason))).toBe('method.reason');
  });

  it('requires a written reason for the correction (400 naming reason)', () => {
    for (const reason of ['', '   ', undefined]) {
      const c = { ...revisedTo(2026, '合格'), reason } as CenterCommand;
      expect(fieldOf(() => given(assessed).when(c))).toBe('reason');
    }
  });

  it('is refused (409) for a year never assessed', () => {
    const err = errorOf(() => given(assessed).when(revisedTo(2027, '合格')));
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect((err as IllegalTransitionError).message).toBe(
      'cannot revise the 2027 assessment when 2027 not assessed',
    );
  });

  it('is refused (409) when the grade does not change', () => {
    const err = errorOf(() => given(assessed).when(revisedTo(2026, '不合格')));
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect((err as IllegalTransitionError).message).toContain('2026 is graded 不合格 already');
  });

  it('is refused (409) once the center is revoked, also for the grade that revoked it (final)', () => {
    const revokedB = history(track('2026-03-10'), graded(2026, '不合格'), graded(2027, '不合格'));
    expect(revokedB.at(-1)!.type).toBe('assessment.center-revoked');
    const err = errorOf(() => given(revokedB).when(revisedTo(2027, '合格', '2028-02-20')));
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect((err as IllegalTransitionError).message).toContain('recognition is revoked for good');
    const onChange = history(track('2026-03-10'), graded(2026, '合格'), {
      kind: 'act-on-major-change',
      changeId: 'ch1',
      stillEligible: false,
      decision: areaShrank,
      evaluatedOn: '2027-03-01',
    });
    expect(errorOf(() => given(onChange).when(revisedTo(2026, '良好')))).toBeInstanceOf(
      IllegalTransitionError,
    );
  });

  it('is a 404 for a center not tracked', () => {
    expect(errorOf(() => given([]).when(revisedTo(2026, '合格')))).toBeInstanceOf(NotFoundError);
  });

  describe('A17.3b on the corrected history', () => {
    it('revokes when the corrected grade makes two consecutive 不合格, dated the revision day', () => {
      const events = history(track('2026-03-10'), graded(2026, '合格'), graded(2027, '不合格'));
      const revised = given(events).when(revisedTo(2026, '不合格', '2028-03-01'));
      expect(revised.map((e) => e.type)).toEqual([
        'assessment.assessment-revised',
        'assessment.center-revoked',
      ]);
      const check = (revised[0]!.payload as { revocationCheck: unknown }).revocationCheck;
      expect(revised[1]!.payload).toMatchObject({
        centerId: CENTER,
        revokedOn: '2028-03-01',
        ruleId: 'A17.3b',
        reason: 'consecutive-unqualified',
        decision: check,
      });
      expect(check).toMatchObject({
        inputs: {
          grades: [
            { year: 2026, grade: '不合格' },
            { year: 2027, grade: '不合格' },
          ],
        },
        outcome: { revoke: true, revokedAfterYear: 2027 },
      });
      expect(given([...events, ...revised]).state).toMatchObject({
        status: 'revoked',
        grades: { 2026: '不合格', 2027: '不合格' },
        revocation: { revokedOn: '2028-03-01', ruleId: 'A17.3b' },
      });
    });

    it('joins the corrected year with a later year already graded 不合格', () => {
      const events = history(
        track('2026-03-10'),
        graded(2026, '合格'),
        graded(2027, '合格'),
        graded(2028, '不合格'),
      );
      const revised = given(events).when(revisedTo(2027, '不合格', '2029-03-01'));
      expect(revised.map((e) => e.type)).toContain('assessment.center-revoked');
      expect(revised[0]!.payload).toMatchObject({
        revocationCheck: { outcome: { revoke: true, revokedAfterYear: 2028 } },
      });
    });

    it('does not revoke when the correction leaves no two consecutive 不合格 (case 10 after a correction)', () => {
      const events = history(
        track('2026-03-10'),
        graded(2027, '不合格'),
        graded(2028, '合格'),
        graded(2029, '合格'),
      );
      const revised = given(events).when(revisedTo(2029, '不合格', '2030-03-01'));
      expect(revised.map((e) => e.type)).toEqual(['assessment.assessment-revised']);
      expect(given([...events, ...revised]).state.status).toBe('recognised');
    });

    it('a corrected grade that no longer revokes has nothing to undo: the center was never revoked', () => {
      const events = history(track('2026-03-10'), graded(2026, '不合格'), graded(2027, '合格'));
      const revised = given(events).when(revisedTo(2027, '良好', '2028-03-01'));
      expect(revised[0]!.payload).toMatchObject({
        previousGrade: '合格',
        grade: '良好',
        revocationCheck: { outcome: { revoke: false, longestRun: 1 } },
      });
    });
  });

  it('may correct a year again: each revision replaces the grade standing', () => {
    const once = history(track('2026-03-10'), graded(2026, '不合格'), revisedTo(2026, '合格'));
    const twice = given(once).when(revisedTo(2026, '良好', '2027-04-01'));
    expect(twice[0]!.payload).toMatchObject({
      previousGrade: '合格',
      grade: '良好',
      assessedOn: '2027-02-15',
    });
  });
});
