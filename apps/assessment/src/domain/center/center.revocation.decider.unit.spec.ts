import { IllegalTransitionError, RuleViolationError } from '@nqpf/domain';
import { Policy } from '@nqpf/rules';
import { CenterCommand } from './center.types';
import { areaShrank, CENTER, fieldOf, given, graded, history, policy, track } from './center.spec-helper';

/** reporting.operation-started: the district office confirmed the start on `confirmedOn`. */
const started = (startedOn: string, confirmedOn = startedOn, p: Policy = policy): CenterCommand => ({
  kind: 'record-operation-start',
  startedOn,
  confirmedOn,
  policy: p,
});
/** reporting.operating-deadline-passed: the stored deadline ended with no start in time. */
const deadlinePassed = (
  passedOn: string,
  operatingDeadline = '2028-03-10',
  p: Policy = policy,
  cause: 'deadline' | 'start-rejected' = 'deadline',
): CenterCommand => ({
  kind: 'act-on-operating-deadline-passed',
  operatingDeadline,
  passedOn,
  cause,
  policy: p,
});
/** A version published later that would move the deadline: never the one A17.3a is decided under. */
const later: Policy = {
  ...policy,
  version: 'policy-2027.1',
  effectiveFrom: '2027-01-01',
  operatingDeadlineYears: 3,
};

describe('revocation (A16, A17.3)', () => {
  describe('A17.3b: two consecutive unqualified grades', () => {
    it('case 9: 不合格 for 2027 and 2028 → revoked after the 2028 assessment', () => {
      const before = history(track('2026-03-10'), graded(2027, '不合格'));
      expect(before.map((e) => e.type)).toEqual([
        'assessment.center-tracked',
        'assessment.assessment-completed',
      ]);
      const events = given(before).when(graded(2028, '不合格'));
      expect(events.map((e) => e.type)).toEqual([
        'assessment.assessment-completed',
        'assessment.center-revoked',
      ]);
      expect(events[1]!.payload).toMatchObject({
        centerId: CENTER,
        revokedOn: '2029-02-15',
        ruleId: 'A17.3b',
        reason: 'consecutive-unqualified',
        decision: { rule: 'consecutive-unqualified', outcome: { revoke: true, revokedAfterYear: 2028 } },
      });
      expect(events[1]!.payload).toMatchObject({
        explanation: { en: expect.stringContaining('consecutive') },
      });
    });

    it('case 10: 不合格 2027, 合格 2028, 不合格 2029 → not revoked', () => {
      const events = history(
        track('2026-03-10'),
        graded(2027, '不合格'),
        graded(2028, '合格'),
        graded(2029, '不合格'),
      );
      expect(events.map((e) => e.type)).not.toContain('assessment.center-revoked');
      expect(events.at(-1)!.payload).toMatchObject({
        revocationCheck: { outcome: { revoke: false, longestRun: 1 } },
      });
      expect(given(events).state.status).toBe('recognised');
    });

    it('does not join unqualified grades of years that are not consecutive', () => {
      const events = history(track('2026-03-10'), graded(2026, '不合格'), graded(2028, '不合格'));
      expect(events.map((e) => e.type)).not.toContain('assessment.center-revoked');
    });
  });

  describe('A17.3a: operating within two years of recognition (case 11)', () => {
    const tracked = history(track('2026-03-10'));

    it('stores the inclusive deadline at recognition + 2 years, and the support years, under the policy then', () => {
      expect(tracked[0]!.payload).toMatchObject({
        recognizedOn: '2026-03-10',
        operatingDeadline: '2028-03-10',
        policyVersion: policy.version,
        decision: { rule: 'operating-deadline', outcome: { status: 'pending', revoke: false } },
        supportYears: [
          { supportYear: 1, calendarYear: 2026 },
          { supportYear: 2, calendarYear: 2027 },
          { supportYear: 3, calendarYear: 2028 },
        ],
      });
    });

    it('does not revoke a center that started on 2028-03-10', () => {
      const events = given(tracked).when(started('2028-03-10'));
      expect(events.map((e) => e.type)).toEqual(['assessment.operation-start-recorded']);
      expect(given([...tracked, ...events]).state).toMatchObject({ status: 'operating', revocation: null });
    });

    it('revokes a center that started after the deadline from the day after it, when the start was confirmed', () => {
      // Not started within two years is so from 2028-03-11 whenever the start is confirmed: the same date
      // reporting's timer gives a center that never started (the timer may not have run yet, a stopped service).
      const events = given(tracked).when(started('2028-03-15', '2028-03-20'));
      expect(events.map((e) => e.type)).toEqual([
        'assessment.operation-start-recorded',
        'assessment.center-revoked',
      ]);
      expect(events[1]!.payload).toMatchObject({
        ruleId: 'A17.3a',
        reason: 'not-operating-within-deadline',
        revokedOn: '2028-03-11',
        decision: { outcome: { status: 'missed', revoke: true } },
      });
    });

    it("revokes a center that never started on reporting's fact that the deadline passed, on its day", () => {
      const [revoked] = given(tracked).when(deadlinePassed('2028-03-11'));
      expect(revoked).toMatchObject({
        type: 'assessment.center-revoked',
        payload: {
          ruleId: 'A17.3a',
          reason: 'not-operating-within-deadline',
          revokedOn: '2028-03-11',
          decision: {
            rule: 'operating-deadline',
            policyVersion: policy.version,
            inputs: { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-11' },
            outcome: { deadline: '2028-03-10', status: 'missed', revoke: true },
          },
        },
      });
    });

    it('revokes on the day after the deadline however late the fact was recorded (a timer down for weeks)', () => {
      const [revoked] = given(tracked).when(deadlinePassed('2028-05-01'));
      expect(revoked!.payload).toMatchObject({
        revokedOn: '2028-03-11',
        decision: { inputs: { asOf: '2028-05-01' }, outcome: { revoke: true } },
      });
    });

    it('revokes on the day of a rejection after the deadline, as reporting records it', () => {
      const [revoked] = given(tracked).when(
        deadlinePassed('2028-03-14', '2028-03-10', policy, 'start-rejected'),
      );
      expect(revoked!.payload).toMatchObject({
        revokedOn: '2028-03-14',
        decision: { inputs: { asOf: '2028-03-14' } },
      });
    });

    it("a center that started on its deadline day is not revoked by reporting's deadline fact (A17.3a)", () => {
      // A redelivered or replayed fact, or the start-rejected path, may still reach a center whose start is
      // dated on the deadline itself: that start is within two years (inclusive).
      const operating = history(track('2026-03-10'), started('2028-03-10'));
      expect(given(operating).when(deadlinePassed('2028-03-26'))).toEqual([]);
      expect(
        given(operating).when(deadlinePassed('2028-03-26', '2028-03-10', policy, 'start-rejected')),
      ).toEqual([]);
    });

    it('does not revoke on a fact dated on the deadline itself (inclusive)', () => {
      expect(given(tracked).when(deadlinePassed('2028-03-10'))).toEqual([]);
    });

    it('ignores a start reported after revocation, a start recorded twice and a second fact', () => {
      const revoked = history(track('2026-03-10'), deadlinePassed('2028-03-11'));
      expect(given(revoked).when(started('2028-03-10', '2028-03-12'))).toEqual([]);
      expect(given(revoked).when(deadlinePassed('2028-03-12'))).toEqual([]);
      const operating = history(track('2026-03-10'), started('2027-01-01'));
      expect(given(operating).when(started('2027-01-02'))).toEqual([]);
      expect(given(operating).when(deadlinePassed('2028-03-11'))).toEqual([]);
    });

    describe('decided under the policy recorded at recognition, on the deadline stored then (defect 2)', () => {
      it('refuses to decide a start under a later policy version', () => {
        expect(() => given(tracked).when(started('2028-06-01', '2028-06-02', later))).toThrow(
          'A17.3: decided under the policy recorded at recognition (policy-2026.1), not policy-2027.1',
        );
        expect(() => given(tracked).when(deadlinePassed('2028-03-11', '2028-03-10', later))).toThrow(
          RuleViolationError,
        );
      });

      it('refuses a fact naming another deadline than the one stored at recognition', () => {
        expect(() => given(tracked).when(deadlinePassed('2029-03-11', '2029-03-10'))).toThrow(
          'A17.3: the operating deadline reporting stored (2029-03-10) is not the one recorded at recognition (2028-03-10)',
        );
      });
    });

    it('records a start on the recognition day itself', () => {
      const events = given(tracked).when(started('2026-03-10'));
      expect(events.map((e) => e.type)).toEqual(['assessment.operation-start-recorded']);
    });

    it('names a start before recognition', () => {
      expect(fieldOf(() => given(tracked).when(started('2026-03-09')))).toBe('startedOn');
    });
  });

  describe('A16: major change that ends eligibility', () => {
    const tracked = history(track('2026-03-10'));
    const decision = areaShrank;
    const act = (stillEligible: boolean): CenterCommand => ({
      kind: 'act-on-major-change',
      changeId: 'mc1',
      stillEligible,
      decision,
      evaluatedOn: '2027-04-03',
    });

    it('revokes on "no longer eligible" with the re-check decision, on the day of the re-check', () => {
      const [revoked] = given(tracked).when(act(false));
      expect(revoked).toMatchObject({
        type: 'assessment.center-revoked',
        payload: {
          ruleId: 'A16',
          reason: 'no-longer-eligible-after-major-change',
          revokedOn: '2027-04-03',
          decision,
        },
      });
    });

    it('does nothing on "still eligible"', () => {
      expect(given(tracked).when(act(true))).toEqual([]);
    });
  });

  describe('revocation is final', () => {
    const revoked = history(track('2026-03-10'), graded(2026, '不合格'), graded(2027, '不合格'));

    it('refuses later assessments with a clear message', () => {
      expect(() => given(revoked).when(graded(2028, '优秀'))).toThrow(
        'cannot assess 2028 when center revoked on 2028-02-15 (A17.3b); recognition is revoked for good',
      );
      expect(() => given(revoked).when(graded(2028, '优秀'))).toThrow(IllegalTransitionError);
    });

    it('revokes once: later causes change nothing', () => {
      expect(given(revoked).when(deadlinePassed('2028-03-11'))).toEqual([]);
    });

    it('keeps the history for reads', () => {
      expect(given(revoked).state).toMatchObject({
        status: 'revoked',
        grades: { 2026: '不合格', 2027: '不合格' },
        revocation: { ruleId: 'A17.3b', revokedOn: '2028-02-15' },
      });
    });
  });

  it('tracks a recognition once', () => {
    const tracked = history(track('2026-03-10'));
    expect(given(tracked).when(track('2026-03-10'))).toEqual([]);
    expect(() => given(tracked).when(track('2026-05-01'))).toThrow(
      'cannot track center when center already recognised',
    );
    expect(fieldOf(() => given([]).when(track('2026-13-01')))).toBe('recognizedOn');
  });
});
