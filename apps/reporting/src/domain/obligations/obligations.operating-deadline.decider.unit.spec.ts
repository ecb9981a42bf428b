import { RuleViolationError } from '@nqpf/domain';
import { Policy } from '@nqpf/rules';
import { ObligationsCommand, ObligationsEvent } from './obligations.types';
import { CENTER, given, history, open, policy } from './obligations.spec-helper';

const declare = (startedOn: string, today = startedOn): ObligationsCommand => ({
  kind: 'declare-operation-start',
  startedOn,
  today,
  policy,
});
const confirm = (today: string, p: Policy = policy): ObligationsCommand => ({
  kind: 'confirm-operation-start',
  today,
  policy: p,
});
const reject = (today: string, deadlinePassedAcknowledged = true): ObligationsCommand => ({
  kind: 'reject-operation-start',
  today,
  reason: '现场核查未见运营团队在岗',
  deadlinePassedAcknowledged,
  policy,
});
const deadlinePasses = (today: string, p: Policy = policy): ObligationsCommand => ({
  kind: 'pass-operating-deadline',
  today,
  policy: p,
});
/** A version published later that would give another deadline: never the one A17.3a is decided under. */
const later: Policy = {
  ...policy,
  version: 'policy-2027.1',
  effectiveFrom: '2027-01-01',
  operatingDeadlineYears: 3,
};
const types = (events: ObligationsEvent[]) => events.map((e) => e.type);

describe('obligations: the A17.3a operating deadline, stored at recognition (public case 11)', () => {
  const opened = history(open('2026-03-10'));

  it('records the deadline passing without a start the day after it, with the stored deadline', () => {
    expect(given(opened).when(deadlinePasses('2028-03-11'))).toEqual([
      {
        type: 'reporting.operating-deadline-passed',
        schemaVersion: 1,
        payload: {
          centerId: CENTER,
          recognizedOn: '2026-03-10',
          operatingDeadline: '2028-03-10',
          policyVersion: policy.version,
          passedOn: '2028-03-11',
          cause: 'deadline',
          startedOn: null,
          declaredStart: null,
        },
      },
    ]);
  });

  it('refuses to record it on the deadline day itself (inclusive)', () => {
    expect(() => given(opened).when(deadlinePasses('2028-03-10'))).toThrow(RuleViolationError);
  });

  it('records nothing for a start confirmed on the last day, and records it for one confirmed the day after', () => {
    const inTime = history(open('2026-03-10'), declare('2028-03-10'), confirm('2028-03-10'));
    expect(given(inTime).when(deadlinePasses('2028-03-11'))).toEqual([]);
    const late = history(open('2026-03-10'), declare('2028-03-11'), confirm('2028-03-11'));
    expect(given(late).when(deadlinePasses('2028-03-12'))[0]!.payload).toMatchObject({
      startedOn: '2028-03-11',
      cause: 'deadline',
    });
  });

  describe('a start declared and awaiting the district office when the deadline passes', () => {
    const waiting = history(open('2026-03-10'), declare('2028-03-10'));

    it('holds the record back when the start is on or before the deadline; a later confirmation keeps the center', () => {
      expect(given(waiting).when(deadlinePasses('2028-03-11'))).toEqual([]);
      const confirmed = history(
        open('2026-03-10'),
        declare('2028-03-10'),
        deadlinePasses('2028-03-11'),
        confirm('2028-03-12'),
      );
      expect(types(confirmed).slice(-1)).toEqual(['reporting.operation-started']);
      expect(confirmed.at(-1)!.payload).toMatchObject({
        decision: { outcome: { deadline: '2028-03-10', status: 'started-in-time', revoke: false } },
      });
    });

    it('records it on the day of a rejection after the deadline, after the rejection', () => {
      const events = given(waiting).when(reject('2028-03-14'));
      expect(types(events)).toEqual([
        'reporting.operation-start-rejected',
        'reporting.operating-deadline-passed',
      ]);
      expect(events[1]!.payload).toMatchObject({
        passedOn: '2028-03-14',
        cause: 'start-rejected',
        operatingDeadline: '2028-03-10',
        declaredStart: { startedOn: '2028-03-10', declaredOn: '2028-03-10' },
      });
    });

    it('refuses that rejection unless the office acknowledges that it records the deadline passed (it revokes)', () => {
      const error = (() => {
        try {
          given(waiting).when(reject('2028-03-14', false));
        } catch (err) {
          return err as { rule?: string; details?: Record<string, unknown> };
        }
        return undefined;
      })();
      expect(error).toMatchObject({
        rule: 'A17.3',
        details: { field: 'deadlinePassedAcknowledged', deadline: '2028-03-10' },
      });
      // Before the deadline there is nothing to acknowledge.
      expect(types(given(waiting).when(reject('2028-03-09', false)))).toEqual([
        'reporting.operation-start-rejected',
      ]);
    });

    it('leaves a rejection before the deadline to the deadline', () => {
      expect(types(given(waiting).when(reject('2028-03-09')))).toEqual([
        'reporting.operation-start-rejected',
      ]);
    });

    it('leaves a rejection on the deadline day itself to the deadline (inclusive)', () => {
      expect(types(given(waiting).when(reject('2028-03-10')))).toEqual([
        'reporting.operation-start-rejected',
      ]);
    });

    it('does not hold it back for a declared start after the deadline', () => {
      const late = history(open('2026-03-10'), declare('2028-03-11'));
      expect(given(late).when(deadlinePasses('2028-03-12'))[0]!.payload).toMatchObject({
        declaredStart: { startedOn: '2028-03-11', declaredOn: '2028-03-11' },
      });
    });
  });

  it('takes a start on or before the deadline only when declared by it, whether the timer has run or not', () => {
    const opened = history(open('2026-03-10'));
    const lateDeclaration = () => given(opened).when(declare('2028-03-10', '2028-03-11'));
    expect(lateDeclaration).toThrow(RuleViolationError);
    expect(lateDeclaration).toThrow(
      'a start on or before the operating deadline 2028-03-10 is declared by then',
    );
    // A later start is still declared, and confirmed, recording the miss with the start.
    expect(types(given(opened).when(declare('2028-03-11', '2028-03-12')))).toEqual([
      'reporting.operation-start-declared',
    ]);
  });

  it('records it once, and refuses a declaration after it', () => {
    const passed = history(open('2026-03-10'), deadlinePasses('2028-03-11'));
    expect(given(passed).when(deadlinePasses('2028-03-12'))).toEqual([]);
    expect(() => given(passed).when(declare('2028-03-01', '2028-03-12'))).toThrow(
      'cannot declare operation start when operating deadline passed on 2028-03-11 without a start (A17.3a)',
    );
    const rejected = history(
      open('2026-03-10'),
      declare('2028-03-11'),
      deadlinePasses('2028-03-12'),
      reject('2028-03-14'),
    );
    expect(types(rejected).filter((t) => t === 'reporting.operating-deadline-passed')).toHaveLength(1);
  });

  describe('decided under the policy recorded at recognition, never a later one (defect 2)', () => {
    it('refuses a confirmation decided under another policy version', () => {
      const waiting = history(open('2026-03-10'), declare('2028-06-01'));
      expect(() => given(waiting).when(confirm('2028-06-02', later))).toThrow(
        'A17.3: the operating deadline is decided under the policy recorded at recognition (policy-2026.1), not policy-2027.1',
      );
      expect(given(waiting).when(confirm('2028-06-02'))[0]!.payload).toMatchObject({
        decision: { policyVersion: policy.version, outcome: { deadline: '2028-03-10', revoke: true } },
      });
    });

    it('fires on the stored deadline whatever policy the command brings', () => {
      expect(given(opened).when(deadlinePasses('2028-03-11', later))[0]!.payload).toMatchObject({
        operatingDeadline: '2028-03-10',
        policyVersion: policy.version,
      });
    });

    it('decides the deadline of obligations opened before it was stored from the recognition policy', () => {
      const [first, ...rest] = opened;
      const { operatingDeadline: _stored, ...withoutDeadline } = first!.payload as unknown as Record<
        string,
        unknown
      >;
      const older = [{ ...first!, payload: withoutDeadline } as unknown as ObligationsEvent, ...rest];
      expect(given(older).when(deadlinePasses('2028-03-11'))[0]!.payload).toMatchObject({
        operatingDeadline: '2028-03-10',
      });
      expect(() => given(older).when(deadlinePasses('2029-03-11', later))).toThrow(RuleViolationError);
    });
  });
});
