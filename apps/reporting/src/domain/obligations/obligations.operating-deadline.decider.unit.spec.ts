import { IllegalTransitionError, RuleViolationError } from '@nqpf/domain';
import { decideOperationStartDeclaration, DEFAULT_POLICY, Policy, validatePolicy } from '@nqpf/rules';
import { ObligationsCommand, ObligationsEvent } from './obligations.types';
import { CENTER, given, history, open, policy } from './obligations.spec-helper';

const declare = (startedOn: string, today = startedOn, p: Policy = policy): ObligationsCommand => ({
  kind: 'declare-operation-start',
  startedOn,
  today,
  policy: p,
});
const confirm = (today: string, p: Policy = policy): ObligationsCommand => ({
  kind: 'confirm-operation-start',
  basis: '现场核查：运营团队在岗',
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
/** The error a command throws, with its rule and details. */
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return err as Error & { status?: number; rule?: string; details?: Record<string, unknown> };
  }
  throw new Error('not refused');
};

/**
 * Public case 11 under the default policy (operationStartDeclarationDays 15): recognised 2026-03-10, the
 * operating deadline is 2028-03-10 (inclusive), a start made by it may be declared until 2028-03-25
 * (inclusive), and the deadline's record comes from 2028-03-26.
 */
describe('obligations: the A17.3a operating deadline, stored at recognition (public case 11)', () => {
  const opened = history(open('2026-03-10'));

  it('stores the deadline and the last day to declare a start made by it at recognition', () => {
    expect(opened[0]!.payload).toMatchObject({
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
    });
  });

  it('records the deadline passing without a start the day after declarations close, with both days', () => {
    expect(given(opened).when(deadlinePasses('2028-03-26'))).toEqual([
      {
        type: 'reporting.operating-deadline-passed',
        schemaVersion: 1,
        payload: {
          centerId: CENTER,
          recognizedOn: '2026-03-10',
          operatingDeadline: '2028-03-10',
          policyVersion: policy.version,
          passedOn: '2028-03-26',
          cause: 'deadline',
          startedOn: null,
          declaredStart: null,
          startDeclarationsCloseOn: '2028-03-25',
        },
      },
    ]);
  });

  it.each([['2028-03-10'], ['2028-03-11'], ['2028-03-25']])(
    'refuses to record it on %s: a start made by the deadline may still be declared (inclusive)',
    (today) => {
      expect(() => given(opened).when(deadlinePasses(today))).toThrow(RuleViolationError);
    },
  );

  describe('a start on or before the deadline counts, whenever declared until declarations close', () => {
    it('takes a start of 2028-03-10 declared on 2028-03-11 (the fact counts, not the paperwork), recording the days it used', () => {
      const [declared] = given(opened).when(declare('2028-03-10', '2028-03-11'));
      expect(declared).toEqual({
        type: 'reporting.operation-start-declared',
        schemaVersion: 1,
        payload: {
          centerId: CENTER,
          startedOn: '2028-03-10',
          declaredOn: '2028-03-11',
          decision: expect.objectContaining({
            rule: 'operation-start-declaration',
            policyVersion: policy.version,
            inputs: {
              recognizedOn: '2026-03-10',
              operationStartedOn: '2028-03-10',
              declaredOn: '2028-03-11',
            },
            outcome: {
              deadline: '2028-03-10',
              declarationDays: 15,
              declarationsCloseOn: '2028-03-25',
              accepted: true,
            },
          }),
        },
      });
      // What it records decides the same again (libs/rules, replayable by name).
      expect(
        decideOperationStartDeclaration(
          { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-10', declaredOn: '2028-03-11' },
          policy,
        ).outcome,
      ).toEqual({
        deadline: '2028-03-10',
        declarationDays: 15,
        declarationsCloseOn: '2028-03-25',
        accepted: true,
      });
    });

    it('keeps the center: declared on the last day to declare, confirmed later, the timer then records nothing', () => {
      const kept = history(
        open('2026-03-10'),
        declare('2028-03-10', '2028-03-25'),
        confirm('2028-03-27'),
        deadlinePasses('2028-03-27'),
      );
      expect(types(kept).slice(-1)).toEqual(['reporting.operation-started']);
      expect(kept.at(-1)!.payload).toMatchObject({
        startedOn: '2028-03-10',
        decision: { outcome: { deadline: '2028-03-10', status: 'started-in-time', revoke: false } },
      });
    });

    it('refuses it declared the day after declarations close with the same 422 A17.3 before and after the timer recorded the deadline, naming no field (none of the request can help)', () => {
      const passed = history(open('2026-03-10'), deadlinePasses('2028-03-26'));
      const beforeTimer = refusal(() => given(opened).when(declare('2028-03-10', '2028-03-26')));
      const afterTimer = refusal(() => given(passed).when(declare('2028-03-10', '2028-03-26')));
      expect(beforeTimer).toBeInstanceOf(RuleViolationError);
      expect(beforeTimer).toMatchObject({
        status: 422,
        rule: 'A17.3',
        details: {
          operatingDeadline: '2028-03-10',
          startDeclarationsCloseOn: '2028-03-25',
          operationStartDeclarationDays: 15,
          policyVersion: policy.version,
          declaredOn: '2028-03-26',
        },
      });
      expect(beforeTimer.details).not.toHaveProperty('field');
      expect(beforeTimer.message).toBe(
        'A17.3: a start on or before the operating deadline 2028-03-10 is declared by 2028-03-25 (15 days after it); on 2028-03-26 it is too late, whatever startedOn: declarations of a start have closed (no field of the request can change this)',
      );
      // The outcome, and the answer, do not depend on when the timer ticks.
      expect(afterTimer).toBeInstanceOf(RuleViolationError);
      expect({ ...afterTimer, message: afterTimer.message }).toEqual({
        ...beforeTimer,
        message: beforeTimer.message,
      });
      // A start after the deadline: the same 422 naming startedOn, before and after the timer.
      const lateBefore = refusal(() => given(opened).when(declare('2028-03-11', '2028-03-27')));
      const lateAfter = refusal(() => given(passed).when(declare('2028-03-11', '2028-03-27')));
      expect(lateAfter).toBeInstanceOf(RuleViolationError);
      expect(lateAfter).toMatchObject({ rule: 'A17.3', details: { field: 'startedOn' } });
      expect({ ...lateAfter, message: lateAfter.message }).toEqual({
        ...lateBefore,
        message: lateBefore.message,
      });
    });

    it('refuses with 409 a declaration the dates would take once the deadline was recorded before declarations closed (by the release before this rule, the day after the deadline)', () => {
      const early: ObligationsEvent = {
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
      };
      const error = refusal(() => given([...opened, early]).when(declare('2028-03-10', '2028-03-12')));
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error.message).toBe(
        'cannot declare operation start when operating deadline passed on 2028-03-11 without a start (A17.3a)',
      );
    });

    it.each([['2028-03-11'], ['2028-03-20'], ['2028-03-25'], ['2028-03-30']])(
      'refuses a start dated the day after the deadline, declared on %s (A17.3, naming startedOn)',
      (today) => {
        const error = refusal(() => given(opened).when(declare('2028-03-11', today)));
        expect(error).toBeInstanceOf(RuleViolationError);
        expect(error).toMatchObject({
          rule: 'A17.3',
          details: { field: 'startedOn', operatingDeadline: '2028-03-10' },
        });
        expect(error.message).toContain('a start on 2028-03-11 is after the operating deadline 2028-03-10');
      },
    );

    it('closes declarations on the deadline itself under a policy giving 0 days', () => {
      const none = validatePolicy({
        ...DEFAULT_POLICY,
        version: 'policy-none',
        operationStartDeclarationDays: 0,
      });
      const openUnder = open('2026-03-10') as Extract<ObligationsCommand, { kind: 'open' }>;
      const openedUnder = history({ ...openUnder, policy: none, policyOn: () => none });
      expect(openedUnder[0]!.payload).toMatchObject({ startDeclarationsCloseOn: '2028-03-10' });
      expect(types(given(openedUnder).when(declare('2028-03-10', '2028-03-10', none)))).toEqual([
        'reporting.operation-start-declared',
      ]);
      expect(() => given(openedUnder).when(declare('2028-03-10', '2028-03-11', none))).toThrow(
        'is declared by 2028-03-10 (0 days after it); on 2028-03-11 it is too late',
      );
      expect(given(openedUnder).when(deadlinePasses('2028-03-11', none))[0]!.payload).toMatchObject({
        passedOn: '2028-03-11',
        startDeclarationsCloseOn: '2028-03-10',
      });
    });
  });

  it('records nothing for a start confirmed on the last day, and records it for a late start confirmed before this rule (declared then)', () => {
    const inTime = history(open('2026-03-10'), declare('2028-03-10'), confirm('2028-03-10'));
    expect(given(inTime).when(deadlinePasses('2028-03-26'))).toEqual([]);
    // A start after the deadline, declared before declarations of one were refused, and confirmed.
    const lateDeclared: ObligationsEvent = {
      type: 'reporting.operation-start-declared',
      schemaVersion: 1,
      payload: { centerId: CENTER, startedOn: '2028-03-11', declaredOn: '2028-03-11' },
    };
    const late = [...opened, lateDeclared, ...given([...opened, lateDeclared]).when(confirm('2028-03-11'))];
    expect(late.at(-1)!.payload).toMatchObject({ decision: { outcome: { status: 'missed', revoke: true } } });
    expect(given(late).when(deadlinePasses('2028-03-26'))[0]!.payload).toMatchObject({
      startedOn: '2028-03-11',
      cause: 'deadline',
    });
  });

  describe('a start declared and awaiting the district office when declarations close', () => {
    const waiting = history(open('2026-03-10'), declare('2028-03-10'));

    it('holds the record back when the start is on or before the deadline; a later confirmation keeps the center', () => {
      expect(given(waiting).when(deadlinePasses('2028-03-26'))).toEqual([]);
      const confirmed = history(
        open('2026-03-10'),
        declare('2028-03-10'),
        deadlinePasses('2028-03-26'),
        confirm('2028-03-27'),
      );
      expect(types(confirmed).slice(-1)).toEqual(['reporting.operation-started']);
      expect(confirmed.at(-1)!.payload).toMatchObject({
        decision: { outcome: { deadline: '2028-03-10', status: 'started-in-time', revoke: false } },
      });
    });

    it('leaves a rejection while declarations are open to the timer: the operator may declare again until they close', () => {
      for (const day of ['2028-03-09', '2028-03-10', '2028-03-14', '2028-03-25'])
        expect(types(given(waiting).when(reject(day, false)))).toEqual([
          'reporting.operation-start-rejected',
        ]);
      const redeclared = history(
        open('2026-03-10'),
        declare('2028-03-10'),
        reject('2028-03-14'),
        declare('2028-03-09', '2028-03-25'),
      );
      expect(redeclared.at(-1)).toMatchObject({
        type: 'reporting.operation-start-declared',
        payload: { startedOn: '2028-03-09', declaredOn: '2028-03-25' },
      });
      // Not declared again: the timer records it after declarations closed.
      const rejected = history(open('2026-03-10'), declare('2028-03-10'), reject('2028-03-14'));
      expect(given(rejected).when(deadlinePasses('2028-03-26'))[0]!.payload).toMatchObject({
        passedOn: '2028-03-26',
        cause: 'deadline',
      });
    });

    it('records it on the day of a rejection after declarations closed, after the rejection', () => {
      const events = given(waiting).when(reject('2028-03-27'));
      expect(types(events)).toEqual([
        'reporting.operation-start-rejected',
        'reporting.operating-deadline-passed',
      ]);
      expect(events[1]!.payload).toMatchObject({
        passedOn: '2028-03-27',
        cause: 'start-rejected',
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
        declaredStart: { startedOn: '2028-03-10', declaredOn: '2028-03-10' },
      });
    });

    it('refuses that rejection unless the office acknowledges that it records the deadline passed (it revokes)', () => {
      expect(refusal(() => given(waiting).when(reject('2028-03-26', false)))).toMatchObject({
        rule: 'A17.3',
        details: {
          field: 'deadlinePassedAcknowledged',
          deadline: '2028-03-10',
          startDeclarationsCloseOn: '2028-03-25',
        },
      });
    });

    it('does not hold it back for a declared start after the deadline (declared before such starts were refused)', () => {
      const lateDeclared: ObligationsEvent = {
        type: 'reporting.operation-start-declared',
        schemaVersion: 1,
        payload: { centerId: CENTER, startedOn: '2028-03-11', declaredOn: '2028-03-11' },
      };
      expect(given([...opened, lateDeclared]).when(deadlinePasses('2028-03-26'))[0]!.payload).toMatchObject({
        declaredStart: { startedOn: '2028-03-11', declaredOn: '2028-03-11' },
      });
    });
  });

  it('records it once, and refuses a declaration after it', () => {
    const passed = history(open('2026-03-10'), deadlinePasses('2028-03-26'));
    expect(given(passed).when(deadlinePasses('2028-03-27'))).toEqual([]);
    expect(() => given(passed).when(declare('2028-03-01', '2028-03-27'))).toThrow(
      'on 2028-03-27 it is too late, whatever startedOn',
    );
    const rejected = history(
      open('2026-03-10'),
      declare('2028-03-10'),
      deadlinePasses('2028-03-26'),
      reject('2028-03-28'),
    );
    expect(types(rejected).filter((t) => t === 'reporting.operating-deadline-passed')).toHaveLength(1);
  });

  describe('decided under the policy recorded at recognition, never a later one (defect 2)', () => {
    it('refuses a declaration or confirmation decided under another policy version', () => {
      expect(() => given(opened).when(declare('2028-03-01', '2028-03-02', later))).toThrow(
        'A17.3: the operating deadline is decided under the policy recorded at recognition (policy-2026.1), not policy-2027.1',
      );
      const waiting = history(open('2026-03-10'), declare('2028-03-01'));
      expect(() => given(waiting).when(confirm('2028-06-02', later))).toThrow(
        'A17.3: the operating deadline is decided under the policy recorded at recognition (policy-2026.1), not policy-2027.1',
      );
      expect(given(waiting).when(confirm('2028-06-02'))[0]!.payload).toMatchObject({
        decision: { policyVersion: policy.version, outcome: { deadline: '2028-03-10', revoke: false } },
      });
    });

    it('fires on the stored days whatever policy the command brings', () => {
      expect(given(opened).when(deadlinePasses('2028-03-26', later))[0]!.payload).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
        policyVersion: policy.version,
      });
    });

    it('decides the days of obligations opened before they were stored from the recognition policy', () => {
      const [first, ...rest] = opened;
      const {
        operatingDeadline: _deadline,
        startDeclarationsCloseOn: _close,
        ...withoutDays
      } = first!.payload as unknown as Record<string, unknown>;
      const older = [{ ...first!, payload: withoutDays } as unknown as ObligationsEvent, ...rest];
      expect(() => given(older).when(deadlinePasses('2028-03-25'))).toThrow(RuleViolationError);
      expect(given(older).when(deadlinePasses('2028-03-26'))[0]!.payload).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
      });
      expect(types(given(older).when(declare('2028-03-10', '2028-03-25')))).toEqual([
        'reporting.operation-start-declared',
      ]);
      expect(() => given(older).when(deadlinePasses('2029-03-11', later))).toThrow(RuleViolationError);
      // Opened with the deadline but before the last day to declare was stored.
      const { startDeclarationsCloseOn: _c, ...withDeadline } = first!.payload as unknown as Record<
        string,
        unknown
      >;
      const withoutClose = [{ ...first!, payload: withDeadline } as unknown as ObligationsEvent, ...rest];
      expect(given(withoutClose).when(deadlinePasses('2028-03-26'))[0]!.payload).toMatchObject({
        startDeclarationsCloseOn: '2028-03-25',
      });
    });
  });
});
