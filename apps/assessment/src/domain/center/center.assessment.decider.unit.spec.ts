import { NotFoundError, RuleViolationError } from '@nqpf/domain';
import { Policy } from '@nqpf/rules';
import { CenterCommand, CenterEvent } from './center.types';
import { CENTER, fieldOf, given, graded, history, policy, scored, track } from './center.spec-helper';

/** A version published later with one support year fewer: the schedule fixed at recognition stays. */
const shorter: Policy = { ...policy, version: 'policy-2027.1', effectiveFrom: '2027-01-01', supportYears: 2 };
const under = (c: CenterCommand, p: Policy): CenterCommand => ({ ...c, policy: p }) as CenterCommand;

describe('annual assessment (A17.1)', () => {
  const tracked = history(track('2026-03-10'));

  it('grades from indicator scores by the policy bands, showing its inputs', () => {
    const [completed] = given(tracked).when(scored(2026, '50.00', 39.5));
    expect(completed).toMatchObject({
      type: 'assessment.assessment-completed',
      schemaVersion: 1,
      payload: {
        centerId: CENTER,
        year: 2026,
        supportYear: 1,
        grade: '良好',
        method: 'score',
        score: '89.50',
        indicators: [
          { name: 'indicator 1', score: '50.00' },
          { name: 'indicator 2', score: '39.50' },
        ],
        reason: null,
        activityCount: 101,
        reportCompliance: { due: 5, filedOnTime: 4, filedLate: 1, missing: 0 },
        assessedOn: '2027-02-15',
        decision: { rule: 'grade-from-score', policyVersion: policy.version, outcome: { grade: '良好' } },
        revocationCheck: { rule: 'consecutive-unqualified', outcome: { revoke: false } },
      },
    });
  });

  it.each([
    ['90', '优秀'],
    ['89.99', '良好'],
    ['60', '合格'],
    ['59.99', '不合格'],
  ])('puts the score %s in the band %s (lower bounds inclusive)', (score, grade) => {
    expect(given(tracked).when(scored(2026, score))[0]!.payload).toMatchObject({ grade });
  });

  it('indicator scores adding up to exactly 100.00 are a perfect score, graded 优秀 (A17.1)', () => {
    // Scores run from 0 to 100 inclusive: only a total above 100 is refused.
    expect(given(tracked).when(scored(2026, '60.00', '40.00'))[0]!.payload).toMatchObject({
      score: '100.00',
      grade: '优秀',
    });
  });

  it('takes a direct grade by the bureau with its written reason and no automated decision', () => {
    const [completed] = given(tracked).when(graded(2026, '合格'));
    expect(completed!.payload).toMatchObject({
      grade: '合格',
      method: 'direct',
      reason: '2026年度考核意见',
      decision: null,
      score: null,
    });
  });

  it('numbers support years from the recognition year and leaves later years outside support', () => {
    const events = history(
      track('2026-03-10'),
      graded(2026, '合格'),
      graded(2027, '合格'),
      graded(2028, '合格'),
    );
    expect(events.slice(1).map((e) => (e.payload as { supportYear: number | null }).supportYear)).toEqual([
      1, 2, 3,
    ]);
    expect(given(events).when(graded(2029, '良好'))[0]!.payload).toMatchObject({ supportYear: null });
  });

  it('names the support year by the schedule fixed at recognition, not by a later policy (A12.1)', () => {
    const events = history(track('2026-03-10'), graded(2026, '合格'), graded(2027, '合格'));
    const [third] = given(events).when(under(graded(2028, '良好'), shorter));
    expect(third!.payload).toMatchObject({ year: 2028, supportYear: 3 });
  });

  it('names the support year of a center tracked before the schedule was recorded from the policy recorded then', () => {
    const [tracked] = history(track('2026-03-10'));
    const { supportYears: _fixed, ...older } = tracked!.payload as unknown as Record<string, unknown>;
    const olderTracked = [{ ...tracked!, payload: older } as unknown as CenterEvent];
    expect(given(olderTracked).when(under(graded(2028, '良好'), shorter))[0]!.payload).toMatchObject({
      supportYear: 3,
    });
    expect(() =>
      given(olderTracked).when({ ...graded(2028, '良好'), recognitionPolicy: shorter } as CenterCommand),
    ).toThrow('decided under the policy recorded at recognition (policy-2026.1), not policy-2027.1');
  });

  describe('A6.5 at the annual assessment: at least 100 activities in the year', () => {
    const withActivities = (activityCount: number) =>
      ({ ...graded(2026, '合格'), activityCount }) as CenterCommand;

    it('records the check with the count, the threshold and the policy version', () => {
      expect(given(tracked).when(withActivities(100))[0]!.payload).toMatchObject({
        activityCount: 100,
        activityCheck: {
          ruleId: 'A6.5',
          criterion: 'annualActivities',
          measured: 100,
          threshold: '>= 100',
          passed: true,
          policyVersion: policy.version,
          message: { en: '100 activities recorded in 2026, at least 100' },
        },
      });
    });

    it('records a shortfall and shows it, without revoking or overriding the grade (RULES.md says no more)', () => {
      const events = given(tracked).when(withActivities(99));
      expect(events.map((e) => e.type)).toEqual(['assessment.assessment-completed']);
      expect(events[0]!.payload).toMatchObject({
        grade: '合格',
        activityCheck: {
          measured: 99,
          passed: false,
          message: { zh: '2026年记录活动99场，少于100场' },
        },
      });
    });
  });

  it('assesses a year once', () => {
    const done = history(track('2026-03-10'), graded(2026, '合格'));
    expect(() => given(done).when(graded(2026, '优秀'))).toThrow(
      'cannot assess 2026 when assessment for 2026 completed',
    );
  });

  it('assesses only past years since recognition', () => {
    expect(() => given(tracked).when({ ...graded(2026, '合格'), today: '2026-12-31' } as never)).toThrow(
      RuleViolationError,
    );
    expect(() => given(tracked).when(graded(2025, '合格'))).toThrow('A17.1: year 2025 is before recognition');
    // Both name the field in the 422's body, as finance's do.
    const fieldOf422 = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as RuleViolationError).details?.field;
      }
    };
    expect(fieldOf422(() => given(tracked).when(graded(2025, '合格')))).toBe('year');
    expect(
      fieldOf422(() => given(tracked).when({ ...graded(2026, '合格'), today: '2026-12-31' } as never)),
    ).toBe('year');
  });

  it('refuses to assess a center that was never recognised', () => {
    expect(() => given([]).when(graded(2026, '合格'))).toThrow(NotFoundError);
  });

  it.each([
    ['method.grade', { method: { kind: 'direct', grade: 'A', reason: 'x' } }],
    ['method.reason', { method: { kind: 'direct', grade: '合格', reason: '' } }],
    ['method.kind', { method: { kind: 'vote' } }],
    ['method.indicators', { method: { kind: 'score', indicators: [] } }],
    // What the method does not read is refused, not dropped (a grade recorded stands: no second one).
    ['method.grade', { method: { kind: 'score', grade: '不合格', indicators: [{ name: 'a', score: 90 }] } }],
    ['method.indicators', { method: { kind: 'direct', grade: '合格', reason: 'x', indicators: [] } }],
    [
      'method.indicators[0].weight',
      { method: { kind: 'score', indicators: [{ name: 'a', score: 9, weight: 2 }] } },
    ],
    [
      'method.indicators[0].score',
      { method: { kind: 'score', indicators: [{ name: 'a', score: '9.999' }] } },
    ],
    ['method.indicators[0].name', { method: { kind: 'score', indicators: [{ name: '', score: 9 }] } }],
    [
      'method.indicators[1].name',
      {
        method: {
          kind: 'score',
          indicators: [
            { name: '服务成效', score: 50 },
            { name: ' 服务成效', score: 45 },
          ],
        },
      },
    ],
    [
      'method.indicators',
      {
        method: {
          kind: 'score',
          indicators: [
            { name: 'a', score: 60 },
            { name: 'b', score: 41 },
          ],
        },
      },
    ],
    ['activityCount', { activityCount: -1 }],
    ['reportCompliance.missing', { reportCompliance: { due: 1, filedOnTime: 1, filedLate: 0 } }],
    ['today', { today: '2027-02-30' }],
    ['year', { year: 2026.5 }],
  ])('names the bad field %s', (field, patch) => {
    expect(fieldOf(() => given(tracked).when({ ...graded(2026, '合格'), ...patch } as never))).toBe(field);
  });
});
