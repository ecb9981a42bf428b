import { DisbursementRecordedV1 } from '@nqpf/contracts';
import { RuleViolationError } from '@nqpf/domain';
import { Decision, DEFAULT_POLICY, defaultPolicy, replayMatches } from '@nqpf/rules';
import { CorrectEntry, Disburse } from './subsidy-account.commands';
import { OperatingDeadlineFacts } from './operating-deadline';
import { SubsidyAccountEvent } from './subsidy-account.events';
import { paidAfterRevocation } from './subsidy-account.ledger';
import {
  approve,
  assessed,
  declare,
  disburse,
  errorOf,
  given,
  history,
  open,
  revoke,
  stateOf,
  yuan,
} from './testing/given';

/*
 * A17.3a: recognised 2026-03-10, the operating deadline is 2028-03-10 (inclusive); without a start by then
 * recognition is revoked on 2028-03-11 and support paid after that day (from 2028-03-12) is to be recovered
 * — just as support year 3's grant (decided 2028-03-01) is paid.
 */
const DEADLINE = '2028-03-10';
const known = (operationStartedOn: string | null = null): OperatingDeadlineFacts => ({
  recognizedOn: '2026-03-10',
  deadline: DEADLINE,
  operationStartedOn,
  policy: defaultPolicy,
});

/** Years 1–3 granted; year 3 on 2028-03-01. */
const year3Granted = () =>
  history(
    open(),
    declare(yuan('1000000')),
    approve(yuan('1000000')),
    assessed(1, '良好'),
    assessed(2, '良好'),
  );

const payYear3 = (disbursedOn: string, patch: Partial<Disburse> = {}): Disburse => ({
  ...disburse(3, yuan('100000'), 'pay-3'),
  disbursedOn,
  recordedOn: '2028-03-31',
  ...patch,
});

/** Assessment's A17.3a revocation: dated the day after the deadline. */
const revokedA173a = () => ({
  ...revoke('2028-03-11'),
  rule: 'A17.3a',
  reason: 'not operating within the deadline',
});

const recorded = (events: SubsidyAccountEvent[]) => {
  expect(events.map((e) => e.type)).toEqual(['finance.disbursement-recorded']);
  return events[0]!.payload as DisbursementRecordedV1;
};

describe('subsidy account: a payment after the A17.3a operating deadline with no start in time', () => {
  it('pays on the deadline day itself, recording the check (pending: the day is still within)', () => {
    const paid = recorded(given(year3Granted()).when(payYear3(DEADLINE, { operatingDeadline: known() })));
    expect(paid.deadlinePassedAcknowledged).toBe(false);
    expect(paid.operatingDeadlineCheck).toMatchObject({
      rule: 'operating-deadline',
      policyVersion: DEFAULT_POLICY.version,
      inputs: { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: DEADLINE },
      outcome: { deadline: DEADLINE, status: 'pending', revoke: false },
    });
  });

  it('pays on the day after the deadline — the revocation day, never named for recovery — without acknowledgement, recording the deadline passed', () => {
    const paid = recorded(given(year3Granted()).when(payYear3('2028-03-11', { operatingDeadline: known() })));
    // The check is data as of the day paid (missed); nothing needed acknowledging.
    expect(paid.deadlinePassedAcknowledged).toBe(false);
    expect(paid.operatingDeadlineCheck).toMatchObject({
      inputs: { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-11' },
      outcome: { deadline: DEADLINE, status: 'missed', revoke: true },
    });
    expect(replayMatches(paid.operatingDeadlineCheck as Decision<unknown, unknown>)).toBe(true);
  });

  it('refuses a payment dated after the revocation day, from the deadline + 2 (422 A17.3a), naming the field to send, the deadline and the start', () => {
    const error = errorOf(() =>
      given(year3Granted()).when(payYear3('2028-03-12', { operatingDeadline: known() })),
    );
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({
      rule: 'A17.3a',
      details: {
        field: 'deadlinePassedAcknowledged',
        operatingDeadline: DEADLINE,
        operationStartedOn: null,
        disbursedOn: '2028-03-12',
      },
    });
    expect(error.message).toBe(
      "A17.3a: paid on 2028-03-12, after 2028-03-11: the center's operating deadline was 2028-03-10 " +
        '(recognised 2026-03-10 + 2 years, inclusive), with no operation start recorded; unless a start made ' +
        'by the deadline is still declared, recognition is revoked on 2028-03-11 and support paid after that ' +
        'day is to be recovered (paid on the deadline or the day after it needs no acknowledgement); send ' +
        'deadlinePassedAcknowledged: true to record the payment anyway',
    );
    // Not acknowledged is not acknowledging.
    expect(
      errorOf(() =>
        given(year3Granted()).when(
          payYear3('2028-03-20', { operatingDeadline: known(), deadlinePassedAcknowledged: false }),
        ),
      ),
    ).toMatchObject({ rule: 'A17.3a' });
  });

  it('records the payment when acknowledged, with the check that found the deadline passed and the acknowledgement', () => {
    const paid = recorded(
      given(year3Granted()).when(
        payYear3('2028-03-12', { operatingDeadline: known(), deadlinePassedAcknowledged: true }),
      ),
    );
    expect(paid).toMatchObject({ supportYear: 3, amountFen: '10000000', disbursedOn: '2028-03-12' });
    expect(paid.deadlinePassedAcknowledged).toBe(true);
    expect(paid.operatingDeadlineCheck).toMatchObject({
      rule: 'operating-deadline',
      inputs: { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-12' },
      outcome: { deadline: DEADLINE, status: 'missed', revoke: true },
    });
    // Every decision is data: the check replays from what it recorded.
    expect(replayMatches(paid.operatingDeadlineCheck as Decision<unknown, unknown>)).toBe(true);
  });

  it('asks for acknowledgement of exactly the payments the A17.3a stop then names as paid after the revocation', () => {
    for (const day of [DEADLINE, '2028-03-11', '2028-03-12', '2028-03-13']) {
      const refused = (() => {
        try {
          given(year3Granted()).when(payYear3(day, { operatingDeadline: known() }));
          return false;
        } catch (e) {
          if (e instanceof RuleViolationError && e.rule === 'A17.3a') return true;
          throw e;
        }
      })();
      const paid = [
        ...year3Granted(),
        ...given(year3Granted()).when(
          payYear3(day, { operatingDeadline: known(), deadlinePassedAcknowledged: true }),
        ),
      ];
      const stopped = [...paid, ...given(paid).when(revokedA173a())];
      const named = paidAfterRevocation(stateOf(stopped)).length > 0;
      expect({ day, refused }).toEqual({ day, refused: named });
    }
  });

  it('pays after the deadline without acknowledgement once a start on or before it is recorded (declared in the window)', () => {
    const paid = recorded(
      given(year3Granted()).when(payYear3('2028-03-20', { operatingDeadline: known('2028-03-10') })),
    );
    expect(paid.deadlinePassedAcknowledged).toBe(false);
    expect(paid.operatingDeadlineCheck).toMatchObject({
      inputs: { operationStartedOn: '2028-03-10', asOf: '2028-03-20' },
      outcome: { status: 'started-in-time', revoke: false },
    });
  });

  it('records an acknowledgement sent when nothing passed as false: there was nothing to acknowledge', () => {
    const paid = recorded(
      given(year3Granted()).when(
        payYear3('2028-03-20', {
          operatingDeadline: known('2027-05-01'),
          deadlinePassedAcknowledged: true,
        }),
      ),
    );
    expect(paid.deadlinePassedAcknowledged).toBe(false);
  });

  it('refuses after the deadline when the start recorded is after it, naming that start', () => {
    const error = errorOf(() =>
      given(year3Granted()).when(payYear3('2028-03-20', { operatingDeadline: known('2028-03-15') })),
    );
    expect(error).toMatchObject({
      rule: 'A17.3a',
      details: { field: 'deadlinePassedAcknowledged', operationStartedOn: '2028-03-15' },
    });
    expect(error.message).toContain('with the operation start recorded on 2028-03-15, after the deadline');
  });

  it('decides as of the day paid: a payment before the deadline is not refused for a start recorded late, after it', () => {
    const paid = recorded(
      given(year3Granted()).when(payYear3('2028-03-05', { operatingDeadline: known('2028-03-15') })),
    );
    expect(paid.operatingDeadlineCheck).toMatchObject({
      inputs: { operationStartedOn: null, asOf: '2028-03-05' },
      outcome: { status: 'pending', revoke: false },
    });
  });

  it('records a payment made on the day operation started as started in time (A17.3a, the start counts on its day)', () => {
    const paid = recorded(
      given(year3Granted()).when(payYear3('2028-03-05', { operatingDeadline: known('2028-03-05') })),
    );
    expect(paid.operatingDeadlineCheck).toMatchObject({
      inputs: { operationStartedOn: '2028-03-05', asOf: '2028-03-05' },
      outcome: { status: 'started-in-time', revoke: false },
    });
  });

  it('checks nothing and records nothing of it while finance knows no deadline of the center', () => {
    const paid = recorded(given(year3Granted()).when(payYear3('2028-03-20')));
    expect(paid).not.toHaveProperty('operatingDeadlineCheck');
    expect(paid).not.toHaveProperty('deadlinePassedAcknowledged');
  });

  it('refuses a deadline the policy would not give (assessment and finance disagree on the version)', () => {
    const error = errorOf(() =>
      given(year3Granted()).when(
        payYear3('2028-03-05', {
          operatingDeadline: { ...known(), policy: { ...defaultPolicy, operatingDeadlineYears: 3 } },
        }),
      ),
    );
    expect(error).toMatchObject({ rule: 'A17.3a' });
    expect(error.message).toContain('gives the operating deadline 2029-03-10, not the 2028-03-10');
  });

  it('records a payment on the revocation day after an A17.3a stop with the check, needing no acknowledgement', () => {
    const stopped = [...year3Granted(), ...given(year3Granted()).when(revokedA173a())];
    const events = given(stopped).when(payYear3('2028-03-11', { operatingDeadline: known() }));
    const paid = events.find((e) => e.type === 'finance.disbursement-recorded')!.payload;
    expect(paid).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'missed' } },
    });
  });

  it('checks payments after an A17.3a stop dated on a start rejected after declarations closed, as after an A16 stop', () => {
    // A start declared in time, rejected on 2028-03-28: revoked (A17.3a) that day, not on 2028-03-11.
    const rejectedLate = { ...revokedA173a(), ...revoke('2028-03-28'), rule: 'A17.3a' };
    const stopped = [...year3Granted(), ...given(year3Granted()).when(rejectedLate)];
    const error = errorOf(() => given(stopped).when(payYear3('2028-03-20', { operatingDeadline: known() })));
    expect(error).toMatchObject({ rule: 'A17.3a', details: { field: 'deadlinePassedAcknowledged' } });
    expect(error.message).toContain('revoked on 2028-03-28 (A17.3a), the revocation of record');
    const paid = given(stopped)
      .when(payYear3('2028-03-20', { operatingDeadline: known(), deadlinePassedAcknowledged: true }))
      .find((e) => e.type === 'finance.disbursement-recorded')!.payload;
    expect(paid).toMatchObject({ deadlinePassedAcknowledged: true });
    expect(
      paidAfterRevocation(
        stateOf([
          ...stopped,
          ...given(stopped).when(
            payYear3('2028-03-20', { operatingDeadline: known(), deadlinePassedAcknowledged: true }),
          ),
        ]),
      ),
    ).toEqual([]);
  });
});

describe('subsidy account: a payment recorded after an A16 or A17.3b stop dated after the A17.3a deadline', () => {
  // Revoked on another ground a few days after the deadline: the A17.3a ground is not added (docs/rules.md).
  const stoppedLater = () => [
    ...year3Granted(),
    ...given(year3Granted()).when({ ...revoke('2028-03-15'), rule: 'A17.3b', reason: '连续两年不合格' }),
  ];

  it('refuses one dated between the deadline + 2 and the revocation day unless acknowledged, as before the stop', () => {
    const error = errorOf(() =>
      given(stoppedLater()).when(payYear3('2028-03-12', { operatingDeadline: known() })),
    );
    expect(error).toMatchObject({
      rule: 'A17.3a',
      details: {
        field: 'deadlinePassedAcknowledged',
        operatingDeadline: DEADLINE,
        disbursedOn: '2028-03-12',
      },
    });
    expect(error.message).toContain(
      'recognition was revoked on 2028-03-15 (A17.3b), the revocation of record, so support paid ' +
        'from 2028-03-12 to 2028-03-15 is not named for recovery',
    );
    const events = given(stoppedLater()).when(
      payYear3('2028-03-12', { operatingDeadline: known(), deadlinePassedAcknowledged: true }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'finance.cancellation-reduced',
      'finance.disbursement-recorded',
    ]);
    expect(events[1]!.payload).toMatchObject({
      disbursedOn: '2028-03-12',
      deadlinePassedAcknowledged: true,
      operatingDeadlineCheck: { inputs: { asOf: '2028-03-12' }, outcome: { status: 'missed' } },
    });
  });

  it('records the check on one dated by the revocation day that needs no acknowledgement', () => {
    const events = given(stoppedLater()).when(payYear3('2028-03-11', { operatingDeadline: known() }));
    expect(events[1]!.payload).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'missed' } },
    });
    const before = given(stoppedLater()).when(payYear3('2028-03-05', { operatingDeadline: known() }));
    expect(before[1]!.payload).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'pending' } },
    });
  });

  it('checks a replacement disbursement recorded after such a stop the same way', () => {
    const paid = [
      ...stoppedLater(),
      ...given(stoppedLater()).when(payYear3('2028-03-05', { operatingDeadline: known() })),
    ];
    const correct = (deadlinePassedAcknowledged?: boolean): CorrectEntry => ({
      kind: 'correct-entry',
      reversalEntryId: 'rev-3',
      reversesEntryId: 'pay-3',
      reason: '付款日期录入错误',
      correctedOn: '2028-03-31',
      policy: defaultPolicy,
      operatingDeadline: known(),
      replacement: {
        kind: 'disbursement',
        entryId: 'pay-3b',
        amount: yuan('100000'),
        disbursedOn: '2028-03-13',
        deadlinePassedAcknowledged,
      },
    });
    expect(errorOf(() => given(paid).when(correct()))).toMatchObject({
      rule: 'A17.3a',
      details: { field: 'replacement.deadlinePassedAcknowledged' },
    });
    expect(given(paid).when(correct(true))[1]!.payload).toMatchObject({
      deadlinePassedAcknowledged: true,
      operatingDeadlineCheck: { inputs: { asOf: '2028-03-13' } },
    });
  });
});

describe('subsidy account: a replacement disbursement after the A17.3a deadline, as a direct one', () => {
  const paidBefore = () => [
    ...year3Granted(),
    ...given(year3Granted()).when(payYear3('2028-03-01', { operatingDeadline: known() })),
  ];
  const correct = (disbursedOn: string, deadlinePassedAcknowledged?: boolean): CorrectEntry => ({
    kind: 'correct-entry',
    reversalEntryId: 'rev-3',
    reversesEntryId: 'pay-3',
    reason: '付款日期录入错误',
    correctedOn: '2028-03-31',
    policy: defaultPolicy,
    operatingDeadline: known(),
    replacement: {
      kind: 'disbursement',
      entryId: 'pay-3b',
      amount: yuan('100000'),
      disbursedOn,
      deadlinePassedAcknowledged,
    },
  });

  it('refuses a replacement dated after the deadline, naming replacement.deadlinePassedAcknowledged', () => {
    const error = errorOf(() => given(paidBefore()).when(correct('2028-03-12')));
    expect(error).toMatchObject({
      rule: 'A17.3a',
      details: { field: 'replacement.deadlinePassedAcknowledged', operatingDeadline: DEADLINE },
    });
  });

  it('records it when acknowledged, with the check; one dated on the deadline or the day after needs nothing', () => {
    expect(given(paidBefore()).when(correct('2028-03-11'))[1]!.payload).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'missed' } },
    });
    const acknowledged = given(paidBefore()).when(correct('2028-03-12', true));
    expect(acknowledged[1]!.payload).toMatchObject({
      correctsEntryId: 'pay-3',
      deadlinePassedAcknowledged: true,
      operatingDeadlineCheck: { outcome: { status: 'missed' } },
    });
    const within = given(paidBefore()).when(correct(DEADLINE));
    expect(within[1]!.payload).toMatchObject({
      deadlinePassedAcknowledged: false,
      operatingDeadlineCheck: { outcome: { status: 'pending' } },
    });
  });
});
