import { IllegalTransitionError, RuleViolationError } from '@nqpf/domain';
import { decideMajorChange } from '@nqpf/rules';
import { CenterCommand } from './center.types';
import { CENTER, fieldOf, given, graded, history, policy, track } from './center.spec-helper';

const started = (startedOn: string, today = startedOn): CenterCommand => ({
  kind: 'record-operation-start',
  startedOn,
  today,
  policy,
});
const deadlinePassed = (
  today: string,
  declaredStart: { startedOn: string; declaredOn: string } | null = null,
): CenterCommand => ({ kind: 'pass-operating-deadline', today, declaredStart, policy });
const startRejected = (today: string, startedOn = '2028-03-10'): CenterCommand => ({
  kind: 'note-operation-start-rejected',
  startedOn,
  today,
  policy,
});

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

    it('stores the inclusive deadline at recognition + 2 years', () => {
      expect(tracked[0]!.payload).toMatchObject({
        recognizedOn: '2026-03-10',
        operatingDeadline: '2028-03-10',
        decision: { rule: 'operating-deadline', outcome: { status: 'pending', revoke: false } },
      });
    });

    it('does not revoke a center that started on 2028-03-10', () => {
      const events = given(tracked).when(started('2028-03-10'));
      expect(events.map((e) => e.type)).toEqual(['assessment.operation-start-recorded']);
      expect(given([...tracked, ...events]).when(deadlinePassed('2028-03-11'))).toEqual([]);
    });

    it('revokes a center that started on 2028-03-11', () => {
      const events = given(tracked).when(started('2028-03-11', '2028-03-12'));
      expect(events.map((e) => e.type)).toEqual([
        'assessment.operation-start-recorded',
        'assessment.center-revoked',
      ]);
      expect(events[1]!.payload).toMatchObject({
        ruleId: 'A17.3a',
        reason: 'not-operating-within-deadline',
        revokedOn: '2028-03-12',
        decision: { outcome: { status: 'missed', revoke: true } },
      });
    });

    it('revokes a center that never started when the deadline passes', () => {
      const [revoked] = given(tracked).when(deadlinePassed('2028-03-11'));
      expect(revoked).toMatchObject({
        type: 'assessment.center-revoked',
        payload: { ruleId: 'A17.3a', revokedOn: '2028-03-11', decision: { inputs: { asOf: '2028-03-11' } } },
      });
    });

    it('refuses to fire the deadline on its last day', () => {
      expect(() => given(tracked).when(deadlinePassed('2028-03-10'))).toThrow(RuleViolationError);
    });

    it('ignores a start reported after revocation and a start recorded twice', () => {
      const revoked = history(track('2026-03-10'), deadlinePassed('2028-03-11'));
      expect(given(revoked).when(started('2028-03-12'))).toEqual([]);
      const operating = history(track('2026-03-10'), started('2027-01-01'));
      expect(given(operating).when(started('2027-01-02'))).toEqual([]);
    });

    describe('a start declared within the deadline, awaiting the district office', () => {
      const declared = { startedOn: '2028-03-10', declaredOn: '2028-03-10' };

      it('case 11: declared 2028-03-10, deadline fires 2028-03-11, confirmed 2028-03-12 → not revoked', () => {
        expect(given(tracked).when(deadlinePassed('2028-03-11', declared))).toEqual([]);
        const events = history(
          track('2026-03-10'),
          deadlinePassed('2028-03-11', declared),
          started('2028-03-10', '2028-03-12'),
        );
        expect(events.map((e) => e.type)).toEqual([
          'assessment.center-tracked',
          'assessment.operation-start-recorded',
        ]);
        expect(given(events).state).toMatchObject({ status: 'operating', revocation: null });
      });

      it('revokes when the declaration is rejected after the deadline, on the day of the rejection', () => {
        const waiting = history(track('2026-03-10'), deadlinePassed('2028-03-11', declared));
        const [revoked] = given(waiting).when(startRejected('2028-03-14'));
        expect(revoked).toMatchObject({
          type: 'assessment.center-revoked',
          payload: {
            ruleId: 'A17.3a',
            reason: 'not-operating-within-deadline',
            revokedOn: '2028-03-14',
            decision: {
              rule: 'operating-deadline',
              inputs: { operationStartedOn: null, asOf: '2028-03-14' },
              outcome: { status: 'missed', revoke: true },
            },
          },
        });
      });

      it('leaves a rejection before the deadline to the deadline, and revokes only once', () => {
        expect(given(tracked).when(startRejected('2027-06-01', '2027-05-30'))).toEqual([]);
        const revoked = history(track('2026-03-10'), deadlinePassed('2028-03-11'));
        expect(given(revoked).when(startRejected('2028-03-14'))).toEqual([]);
        const operating = history(track('2026-03-10'), started('2027-01-01'));
        expect(given(operating).when(startRejected('2028-03-14'))).toEqual([]);
      });

      it('still revokes when the declared start is itself after the deadline', () => {
        const late = { startedOn: '2028-03-11', declaredOn: '2028-03-11' };
        expect(given(tracked).when(deadlinePassed('2028-03-12', late))[0]).toMatchObject({
          type: 'assessment.center-revoked',
          payload: { ruleId: 'A17.3a' },
        });
      });
    });

    it('names a start before recognition', () => {
      expect(fieldOf(() => given(tracked).when(started('2026-03-09')))).toBe('startedOn');
    });
  });

  describe('A16: major change that ends eligibility', () => {
    const tracked = history(track('2026-03-10'));
    const decision = decideMajorChange(
      {
        changes: ['area_changed'],
        factsAfterChange: {
          premises: { buildingAreaM2: '4800.00' },
          services: [],
          functions: [],
          institutions: [],
          strategicCooperations: [],
          team: { staffInPost: 10 },
          activities: { count: 100 },
        },
      },
      policy,
    );
    const act = (stillEligible: boolean): CenterCommand => ({
      kind: 'act-on-major-change',
      changeId: 'mc1',
      stillEligible,
      decision,
      today: '2027-04-03',
    });

    it('revokes on "no longer eligible" with the re-check decision', () => {
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
