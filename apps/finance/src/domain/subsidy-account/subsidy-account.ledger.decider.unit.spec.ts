import { ExpenditureAcceptedV1, ExpenditureRejectedV1 } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import { Money } from '../money/money';
import { CorrectEntry, Disburse } from './subsidy-account.commands';
import { accountLedger, paidAfterRevocation, supportYearLedger } from './subsidy-account.ledger';
import {
  approve,
  assessed,
  declare,
  disburse,
  errorOf,
  fen,
  given,
  HASH,
  history,
  open,
  revise,
  revoke,
  spend,
  stateOf,
  yuan,
} from './testing/given';
import { defaultPolicy, RULESET_VERSION } from '@nqpf/rules';

/** Year 1 granted 500,000.00 CNY, of which 200,000.00 disbursed. */
const funded = () =>
  history(open(), declare(yuan('1000000')), approve(yuan('1000000')), disburse(1, yuan('200000'), 'pay-1'));

const correct = (patch: Partial<CorrectEntry>): CorrectEntry => ({
  kind: 'correct-entry',
  reversalEntryId: 'rev-1',
  reversesEntryId: 'pay-1',
  reason: 'voucher keyed wrongly',
  correctedOn: '2026-06-10',
  policy: defaultPolicy,
  ...patch,
});

describe('subsidy account: disbursements never above the grant', () => {
  it('records a disbursement within the grant', () => {
    const events = given(history(open(), declare(yuan('1000000')), approve(yuan('1000000')))).when(
      disburse(1, yuan('200000')),
    );
    expect(events).toEqual([
      {
        type: 'finance.disbursement-recorded',
        schemaVersion: 1,
        payload: {
          centerId: 'center-1',
          entryId: 'pay-1',
          supportYear: 1,
          amountFen: '20000000',
          disbursedOn: '2026-06-01',
          reference: 'voucher pay-1',
          correctsEntryId: null,
          reason: null,
        },
      },
    ]);
  });

  it('pays the grant in parts up to exactly the grant, and not a fen more', () => {
    const paid = [...funded(), ...given(funded()).when(disburse(1, yuan('300000'), 'pay-2'))];
    expect(supportYearLedger(stateOf(paid), 1)).toMatchObject({
      disbursed: yuan('500000'),
      undisbursed: fen(0),
    });
    const error = errorOf(() => given(paid).when(disburse(1, fen(1), 'pay-3')));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({ rule: 'A12', details: { field: 'amountFen' } });
  });

  it('refuses the same payment (voucher, amount, year) recorded again under a new entry id, on any day', () => {
    const pay = (entryId: string, on = '2026-06-01') => ({
      ...disburse(1, yuan('100000'), entryId),
      reference: 'voucher 7',
      disbursedOn: on,
      recordedOn: '2026-06-05',
    });
    const paid = [...funded(), ...given(funded()).when(pay('pay-2'))];
    for (const on of ['2026-06-01', '2026-06-04']) {
      const again = errorOf(() => given(paid).when(pay('pay-3', on)));
      expect(again).toBeInstanceOf(RuleViolationError);
      expect(again).toMatchObject({ rule: 'A12', details: { field: 'reference', entryId: 'pay-2' } });
    }
    // Another voucher is another payment.
    expect(given(paid).when({ ...pay('pay-3'), reference: 'voucher 8' })).toHaveLength(1);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', ' \t '],
  ])(
    'refuses a disbursement whose voucher reference is %s, naming reference, before any other check',
    (_, reference) => {
      const command = { ...disburse(1, yuan('100000000'), 'pay-2'), reference } as unknown as Disburse;
      const error = errorOf(() => given(funded()).when(command));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'reference' });
      const stoppedError = errorOf(() => given(history(open(), revoke('2026-06-01'))).when(command));
      expect(stoppedError).toMatchObject({ field: 'reference' });
    },
  );

  it('records the voucher reference as written, trimmed', () => {
    const command = { ...disburse(1, yuan('1'), 'pay-2'), reference: '  TV-2026-0007 ' };
    expect(given(funded()).when(command)[0]!.payload).toMatchObject({ reference: 'TV-2026-0007' });
  });

  it('takes the day the treasury paid, from the grant (after the recognition) to today, and names disbursedOn otherwise', () => {
    const on = (disbursedOn: string) => ({
      ...disburse(1, yuan('1'), 'pay-2'),
      disbursedOn,
      recordedOn: '2026-06-05',
    });
    expect(given(funded()).when(on('2026-05-01'))[0]!.payload).toMatchObject({ disbursedOn: '2026-05-01' });
    for (const day of ['2026-03-09', '2026-06-06']) {
      const error = errorOf(() => given(funded()).when(on(day)));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'disbursedOn' });
    }
    // Recognised on 10 March, year 1 granted on 1 May: a payment of it dated in between is refused (A12).
    expect(errorOf(() => given(funded()).when(on('2026-03-10')))).toMatchObject({
      rule: 'A12',
      details: { field: 'disbursedOn', grantedOn: '2026-05-01' },
    });
  });

  it('bounds the texts kept for good on the account: a reference, a description, a reason', () => {
    const paid = funded();
    const tooLong = (field: string, make: () => unknown) => {
      const error = errorOf(make);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field, message: expect.stringContaining('must be at most') });
    };
    tooLong('reference', () =>
      given(paid).when({ ...disburse(1, yuan('1'), 'pay-2'), reference: 'v'.repeat(201) }),
    );
    tooLong('description', () =>
      given(paid).when({ ...spend(1, 'equipment', yuan('1')), description: '说'.repeat(4001) }),
    );
    tooLong('reason', () => given(paid).when(correct({ reason: '因'.repeat(4001) })));
    expect(given(paid).when({ ...disburse(1, yuan('1'), 'pay-2'), reference: 'v'.repeat(200) })).toHaveLength(
      1,
    );
  });

  it('refuses to disburse a year not granted, or a year granted 0', () => {
    expect(errorOf(() => given(history(open())).when(disburse(1, fen(1))))).toMatchObject({
      currentState: 'support year 1 awaiting',
      attemptedAction: 'disburse',
    });
    const zero = history(open(), assessed(1, '不合格'));
    expect(errorOf(() => given(zero).when(disburse(2, fen(1))))).toMatchObject({ rule: 'A12' });
  });

  it.each([
    ['amountFen', disburse(1, fen(0), 'pay-9')],
    ['supportYear', disburse(4, fen(1), 'pay-9')],
    ['entryId', disburse(1, fen(1), 'pay-1')],
    ['disbursedOn', { ...disburse(1, fen(1), 'pay-9'), disbursedOn: '2026-13-01', recordedOn: '2026-13-01' }],
  ])('names the bad field %s', (field, command) => {
    const error = errorOf(() => given(funded()).when(command));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
  });

  it('refuses without an account', () => {
    expect(errorOf(() => given([]).when(disburse(1, fen(1))))).toBeInstanceOf(NotFoundError);
  });
});

/**
 * A16 / A17.3 stop further support only: a payment the treasury made on or before the revocation day can
 * still be recorded after the stop, taken back from what the stop cancelled of its year.
 */
describe('subsidy account: a payment made before the revocation, recorded after the stop', () => {
  // Year 1: 500,000.00 granted, 200,000.00 paid; revoked on 10 June 2026, so 300,000.00 cancelled.
  const stopped = () => [...funded(), ...given(funded()).when(revoke('2026-06-10'))];
  const paid = (amount: ReturnType<typeof fen>, disbursedOn: string, entryId = 'pay-late') => ({
    ...disburse(1, amount, entryId),
    disbursedOn,
    recordedOn: '2026-06-12',
    reference: `TV-${entryId}`,
  });

  it.each(['2026-06-05', '2026-06-10'])(
    'takes a payment dated %s (on or before the revocation day) back from the cancellation, then records it',
    (disbursedOn) => {
      const events = given(stopped()).when(paid(yuan('100000'), disbursedOn));
      expect(events).toEqual([
        {
          type: 'finance.cancellation-reduced',
          schemaVersion: 1,
          payload: {
            centerId: 'center-1',
            entryId: 'less-pay-late',
            supportYear: 1,
            amountFen: '10000000',
            disbursementEntryId: 'pay-late',
            disbursedOn,
            reducedOn: '2026-06-12',
            revokedOn: '2026-06-10',
            rule: 'A16',
          },
        },
        {
          type: 'finance.disbursement-recorded',
          schemaVersion: 1,
          payload: {
            centerId: 'center-1',
            entryId: 'pay-late',
            supportYear: 1,
            amountFen: '10000000',
            disbursedOn,
            reference: 'TV-pay-late',
            correctsEntryId: null,
            reason: null,
          },
        },
      ]);
      const state = stateOf([...stopped(), ...events]);
      expect(supportYearLedger(state, 1)).toMatchObject({
        status: 'cancelled',
        granted: yuan('500000'),
        cancelled: yuan('200000'),
        disbursed: yuan('300000'),
        undisbursed: fen(0),
        balance: yuan('300000'),
      });
      expect(paidAfterRevocation(state)).toEqual([]); // paid before the revocation: nothing to recover
      expect(state.entries.find((e) => e.entryId === 'less-pay-late')).toMatchObject({
        kind: 'grant-cancellation',
        direction: -1,
        reversesEntryId: null,
        reduction: {
          disbursementEntryId: 'pay-late',
          disbursedOn,
          revokedOn: '2026-06-10',
          on: '2026-06-12',
        },
      });
    },
  );

  it('refuses a payment dated after the revocation day, naming the revocation rule and disbursedOn', () => {
    const error = errorOf(() => given(stopped()).when(paid(yuan('1'), '2026-06-11')));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({ rule: 'A16', details: { field: 'disbursedOn', revokedOn: '2026-06-10' } });
    // Still a day between the recognition and today first.
    expect(errorOf(() => given(stopped()).when(paid(yuan('1'), '2026-06-13')))).toMatchObject({
      field: 'disbursedOn',
    });
  });

  it('takes at most what the stop cancelled of the year: all of it, then not a fen more', () => {
    const over = errorOf(() => given(stopped()).when(paid(fen(30_000_001), '2026-06-05')));
    expect(over).toBeInstanceOf(RuleViolationError);
    expect(over).toMatchObject({ rule: 'A12', details: { field: 'amountFen', cancelledFen: '30000000' } });
    const all = [...stopped(), ...given(stopped()).when(paid(yuan('300000'), '2026-06-05'))];
    expect(supportYearLedger(stateOf(all), 1)).toMatchObject({
      cancelled: fen(0),
      disbursed: yuan('500000'),
      undisbursed: fen(0),
    });
    expect(errorOf(() => given(all).when(paid(fen(1), '2026-06-05', 'pay-more')))).toMatchObject({
      rule: 'A12',
      details: { field: 'amountFen', cancelledFen: '0' },
    });
  });

  it('refuses a year the stop cancelled nothing of: one awaiting its grant, one paid in full', () => {
    const awaiting = errorOf(() => given(stopped()).when({ ...paid(fen(1), '2026-06-05'), supportYear: 2 }));
    expect(awaiting).toMatchObject({ rule: 'A12', details: { field: 'amountFen', cancelledFen: '0' } });
    const full = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      disburse(1, yuan('500000'), 'pay-1'),
      revoke('2026-06-10'),
    );
    expect(stateOf(full).years[0]!.status).toBe('granted'); // nothing was left to cancel
    expect(errorOf(() => given(full).when(paid(fen(1), '2026-06-05')))).toMatchObject({
      rule: 'A12',
      details: { field: 'amountFen', cancelledFen: '0' },
    });
  });

  it('refuses a zero amount, the same voucher again, and reused entry ids, naming the field', () => {
    expect(errorOf(() => given(stopped()).when(paid(fen(0), '2026-06-05')))).toMatchObject({
      field: 'amountFen',
    });
    const once = [...stopped(), ...given(stopped()).when(paid(yuan('100'), '2026-06-05'))];
    expect(
      errorOf(() =>
        given(once).when({ ...paid(yuan('100'), '2026-06-06', 'pay-again'), reference: 'TV-pay-late' }),
      ),
    ).toMatchObject({ rule: 'A12', details: { field: 'reference', entryId: 'pay-late' } });
    expect(
      errorOf(() => given(once).when({ ...paid(yuan('100'), '2026-06-05'), reference: 'TV-other' })),
    ).toMatchObject({ field: 'entryId' });
    expect(
      errorOf(() =>
        given(once).when({ ...paid(yuan('100'), '2026-06-05', 'pay-2b'), reductionEntryId: 'less-pay-late' }),
      ),
    ).toMatchObject({ field: 'reductionEntryId' });
    expect(
      errorOf(() =>
        given(once).when({ ...paid(yuan('100'), '2026-06-05', 'pay-2b'), reductionEntryId: 'pay-2b' }),
      ),
    ).toMatchObject({ field: 'reductionEntryId' });
  });

  it('lets the money be spent like any of the year, and cancels it again when paid back (cancel-1-2)', () => {
    const late = [...stopped(), ...given(stopped()).when(paid(yuan('100000'), '2026-06-05'))];
    const spent = [...late, ...given(late).when(spend(1, 'rent', yuan('250000'), 's1'))];
    expect(spent.at(-1)).toMatchObject({
      type: 'finance.expenditure-accepted',
      payload: { decision: { inputs: { disbursedFen: '30000000' } } },
    });
    const repaid = given(late).when(
      correct({
        reversalEntryId: 'rev-late',
        reversesEntryId: 'pay-late',
        reason: 'paid back',
        correctedOn: '2026-06-20',
      }),
    );
    expect(repaid.map((e) => e.type)).toEqual(['finance.entry-reversed', 'finance.grant-cancelled']);
    const state = stateOf([...late, ...repaid]);
    expect(supportYearLedger(state, 1)).toMatchObject({
      cancelled: yuan('300000'),
      disbursed: yuan('200000'),
    });
    const lines = state.entries.filter((e) => e.kind === 'grant-cancellation');
    expect(lines.map((e) => [e.entryId, e.direction])).toEqual([
      ['cancel-1', 1],
      ['less-pay-late', -1],
      ['cancel-1-2', 1],
    ]);
  });
});

/**
 * A12: a support year's money exists from the day its grant is decided. A17.3a dates a revocation recorded
 * weeks later on the day after the deadline, so a grant can be decided after the revocation day and still
 * be cancelled by the stop: that money was never support the center had by then.
 */
describe('subsidy account: no payment dated before its grant, none of a grant decided after the revocation', () => {
  const pay = (
    supportYear: number,
    amount: ReturnType<typeof fen>,
    disbursedOn: string,
    recordedOn: string,
  ) => ({
    ...disburse(supportYear, amount, `pay-${disbursedOn}`),
    disbursedOn,
    recordedOn,
  });

  it("refuses a disbursement dated before the year's grant was decided (A12, disbursedOn), before the stop too", () => {
    // Year 2 granted on 1 March 2027 (the 2026 assessment); year 1 approved on 1 May 2026.
    const granted = history(open(), declare(yuan('1000000')), approve(yuan('1000000')), assessed(1, '优秀'));
    const early = errorOf(() => given(granted).when(pay(2, yuan('1'), '2027-02-28', '2027-03-02')));
    expect(early).toBeInstanceOf(RuleViolationError);
    expect(early).toMatchObject({ rule: 'A12', details: { field: 'disbursedOn', grantedOn: '2027-03-01' } });
    expect(errorOf(() => given(granted).when(pay(1, yuan('1'), '2026-04-30', '2026-05-02')))).toMatchObject({
      rule: 'A12',
      details: { field: 'disbursedOn', grantedOn: '2026-05-01' },
    });
    expect(given(granted).when(pay(2, yuan('1'), '2027-03-01', '2027-03-02'))).toHaveLength(1);
    // A revision decides year 1 again (20 May): a payment of 10 May was made of the grant of 1 May.
    const revised = [...granted, ...given(granted).when(revise(yuan('800000')))];
    expect(given(revised).when(pay(1, yuan('1'), '2026-05-10', '2026-05-25'))).toHaveLength(1);
  });

  it('after a stop dated before the grant (A17.3a), refuses paying that grant with a payment dated before it', () => {
    // The reviewer's probe: year 2 granted on 1 March 2027; revoked on 20 February (recorded later).
    const stopped = history(open(), assessed(1, '优秀'), { ...revoke('2027-02-20'), rule: 'A17.3a' });
    expect(supportYearLedger(stateOf(stopped), 2)).toMatchObject({ cancelled: fen(100_000_000) });
    for (const disbursedOn of ['2027-02-15', '2027-02-20']) {
      const error = errorOf(() => given(stopped).when(pay(2, fen(100_000_000), disbursedOn, '2027-04-01')));
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error).toMatchObject({
        rule: 'A12',
        details: { field: 'disbursedOn', grantedOn: '2027-03-01' },
      });
    }
    // Dated from the grant on, it is after the revocation day: the revocation's rule.
    expect(
      errorOf(() => given(stopped).when(pay(2, fen(100_000_000), '2027-03-05', '2027-04-01'))),
    ).toMatchObject({ rule: 'A17.3a', details: { field: 'disbursedOn', revokedOn: '2027-02-20' } });
  });

  it('records after the stop a payment made on the revocation day of a grant decided that same day (A16, A12)', () => {
    // Approved on 1 May 2026 (500,000 fen granted), revoked on 1 May, paid by the treasury on 1 May.
    const stopped = history(open(), declare(fen(1_000_000)), approve(fen(1_000_000)), revoke('2026-05-01'));
    const events = given(stopped).when(pay(1, fen(500_000), '2026-05-01', '2026-05-03'));
    expect(events.map((e) => e.type)).toEqual([
      'finance.cancellation-reduced',
      'finance.disbursement-recorded',
    ]);
    expect(supportYearLedger(stateOf([...stopped, ...events]), 1)).toMatchObject({
      granted: fen(500_000),
      cancelled: fen(0),
      disbursed: fen(500_000),
    });
  });

  it('after the stop pays at most the grants decided on or before the revocation day, less what the year has disbursed', () => {
    // Year 1 approved on 1 May at 300,000.00, 100,000.00 paid on 5 May; revised on 20 May to 500,000.00;
    // revoked on 10 May (recorded after): 400,000.00 cancelled, of which 200,000.00 was granted by then.
    const stopped = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('600000'), 'invoice 3 is not a year-1 cost'),
      pay(1, yuan('100000'), '2026-05-05', '2026-05-05'),
      revise(yuan('1000000')),
      revoke('2026-05-10'),
    );
    expect(supportYearLedger(stateOf(stopped), 1)).toMatchObject({
      granted: yuan('500000'),
      cancelled: yuan('400000'),
      disbursed: yuan('100000'),
    });
    const over = errorOf(() => given(stopped).when(pay(1, fen(20_000_001), '2026-05-08', '2026-06-01')));
    expect(over).toBeInstanceOf(RuleViolationError);
    expect(over).toMatchObject({
      rule: 'A12',
      details: {
        field: 'amountFen',
        cancelledFen: '40000000',
        grantedByRevocationFen: '30000000',
        payableFen: '20000000',
      },
    });
    const all = [...stopped, ...given(stopped).when(pay(1, yuan('200000'), '2026-05-08', '2026-06-01'))];
    expect(supportYearLedger(stateOf(all), 1)).toMatchObject({
      cancelled: yuan('200000'),
      disbursed: yuan('300000'),
    });
    expect(
      errorOf(() => given(all).when({ ...pay(1, fen(1), '2026-05-09', '2026-06-01'), reference: 'TV-9' })),
    ).toMatchObject({ rule: 'A12', details: { field: 'amountFen', payableFen: '0' } });
  });
});

/**
 * A16 / A17.3 after the stop: a correction does not move a payment across the revocation day. One paid
 * after it stays to be recovered until reversed (paid back); one paid on or before it stays support paid.
 */
describe('subsidy account: a replacement disbursement after the stop stays on its side of the revocation day', () => {
  const late = { ...disburse(1, yuan('100'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' };
  const stopped = () => {
    const paid = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      disburse(1, yuan('200000'), 'pay-1'),
      late,
    );
    return [...paid, ...given(paid).when(revoke('2026-08-01'))];
  };
  const replace = (reversesEntryId: string, disbursedOn: string, amount = yuan('100')) =>
    correct({
      reversesEntryId,
      reason: 'voucher day keyed wrongly',
      correctedOn: '2026-08-20',
      replacement: { kind: 'disbursement', entryId: `${reversesEntryId}-b`, amount, disbursedOn },
    });

  it('refuses to date a payment made after the revocation day on or before it: it stays to be recovered', () => {
    expect(paidAfterRevocation(stateOf(stopped())).map((p) => p.entryId)).toEqual(['late']);
    for (const disbursedOn of ['2026-07-31', '2026-08-01']) {
      const error = errorOf(() => given(stopped()).when(replace('late', disbursedOn)));
      expect(error).toBeInstanceOf(RuleViolationError);
      expect(error).toMatchObject({
        rule: 'A16',
        details: { field: 'replacement.disbursedOn', revokedOn: '2026-08-01' },
      });
    }
    const moved = [...stopped(), ...given(stopped()).when(replace('late', '2026-08-02'))];
    expect(paidAfterRevocation(stateOf(moved))).toEqual([
      { entryId: 'late-b', supportYear: 1, amountFen: '10000', disbursedOn: '2026-08-02' },
    ]);
  });

  it('refuses to date a payment made on or before the revocation day after it, as a new one would be', () => {
    const error = errorOf(() => given(stopped()).when(replace('pay-1', '2026-08-02', yuan('200000'))));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({
      rule: 'A16',
      details: { field: 'replacement.disbursedOn', revokedOn: '2026-08-01' },
    });
    const kept = given(stopped()).when(replace('pay-1', '2026-08-01', yuan('200000')));
    expect(kept.map((e) => e.type)).toEqual(['finance.entry-reversed', 'finance.disbursement-recorded']);
    expect(paidAfterRevocation(stateOf([...stopped(), ...kept])).map((p) => p.entryId)).toEqual(['late']);
  });

  it("refuses a replacement dated before the year's grant (A12), before the stop too", () => {
    const error = errorOf(() => given(funded()).when(replace('pay-1', '2026-04-30', yuan('200000'))));
    expect(error).toMatchObject({
      rule: 'A12',
      details: { field: 'replacement.disbursedOn', grantedOn: '2026-05-01' },
    });
  });
});

describe('subsidy account: expenditures (A13)', () => {
  it('accepts an allowed category within the disbursed balance, with the decision', () => {
    const [accepted] = given(funded()).when(spend(1, '房租费', yuan('12000')));
    expect(accepted!.type).toBe('finance.expenditure-accepted');
    const p = accepted!.payload as ExpenditureAcceptedV1;
    expect(p).toMatchObject({
      entryId: 'x1',
      supportYear: 1,
      category: 'rent',
      amountFen: '1200000',
      evidenceHash: HASH,
      spentOn: '2026-07-01',
      correctsEntryId: null,
    });
    expect(p.decision).toMatchObject({
      rule: 'expenditure',
      policyVersion: 'policy-2026.1',
      inputs: { category: 'rent', amountFen: '1200000', disbursedFen: '20000000', spentFen: '0' },
      outcome: { accepted: true, rejectedFor: [] },
    });
  });

  it('rejects sponsorship (赞助) with rule A13 — public example case 12', () => {
    const [rejected] = given(funded()).when(spend(1, '赞助', yuan('5000')));
    expect(rejected!.type).toBe('finance.expenditure-rejected');
    const p = rejected!.payload as ExpenditureRejectedV1;
    expect(p.decision.outcome).toEqual({ accepted: false, rejectedFor: ['A13:forbiddenUse'] });
    expect(p.decision.reasons).toContainEqual(expect.objectContaining({ ruleId: 'A13', passed: false }));
    expect(supportYearLedger(stateOf([...funded(), rejected!]), 1).spent).toEqual(fen(0));
  });

  it.each([
    ['罚款', 'A13:forbiddenUse'],
    ['donation', 'A13:forbiddenUse'],
    ['投资', 'A13:forbiddenUse'],
    ['banquet', 'A13:category'],
  ])('rejects %s with %s', (category, rule) => {
    const [rejected] = given(funded()).when(spend(1, category, fen(100)));
    expect((rejected!.payload as ExpenditureRejectedV1).decision.outcome.rejectedFor).toEqual([rule]);
  });

  it('rejects spending above the disbursed balance, and accepts exactly the balance', () => {
    const over = given(funded()).when(spend(1, 'energy', fen(20_000_001)));
    expect((over[0]!.payload as ExpenditureRejectedV1).decision.outcome.rejectedFor).toEqual([
      'A13:withinBalance',
    ]);
    const exact = given(funded()).when(spend(1, 'energy', fen(20_000_000)));
    expect(exact[0]!.type).toBe('finance.expenditure-accepted');
  });

  it('decides a retried expenditure once', () => {
    const once = [...funded(), ...given(funded()).when(spend(1, '赞助', fen(100)))];
    expect(given(once).when(spend(1, '赞助', fen(100)))).toEqual([]);
  });

  it('refuses the same spending rejected again under a new id (409 naming the first), but decides it anew once the reasons differ', () => {
    const over = spend(1, 'energy', fen(20_000_001), 'x1');
    const rejected = [...funded(), ...given(funded()).when(over)];
    const again = errorOf(() => given(rejected).when({ ...over, expenditureId: 'x2' }));
    expect(again).toBeInstanceOf(IllegalTransitionError);
    expect(again.message).toContain('rejected already as expenditure x1');
    // Another amount or another day is other spending.
    expect(given(rejected).when({ ...over, expenditureId: 'x2', amount: fen(20_000_002) })).toHaveLength(1);
    // After a further disbursement the same spending fits the balance: a new decision, accepted.
    const paid = [...rejected, ...given(rejected).when(disburse(1, yuan('1'), 'pay-2'))];
    expect(given(paid).when({ ...over, expenditureId: 'x3' })[0]!.type).toBe('finance.expenditure-accepted');
    expect(stateOf(rejected)).toMatchObject({
      rejectedExpenditures: [
        {
          expenditureId: 'x1',
          supportYear: 1,
          category: 'energy',
          spentOn: '2026-07-01',
          rejectedFor: ['A13:withinBalance'],
        },
      ],
    });
  });

  it('refuses the same spending sent twice under a new id, and takes one invoice split over categories', () => {
    const once = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(100), 'x1'))];
    const twice = errorOf(() => given(once).when(spend(1, '房租费', fen(100), 'x2')));
    expect(twice).toBeInstanceOf(RuleViolationError);
    expect((twice as RuleViolationError).details).toMatchObject({
      rule: 'A13',
      field: 'evidenceHash',
      entryId: 'x1',
    });
    expect(given(once).when(spend(1, 'energy', fen(100), 'x3'))[0]!.type).toBe(
      'finance.expenditure-accepted',
    );
    expect(given(once).when(spend(1, 'rent', fen(60), 'x4'))[0]!.type).toBe('finance.expenditure-accepted');
    // Sent again after it used up the balance: the same spending (422), not an A13 balance rejection.
    const all = [...funded(), ...given(funded()).when(spend(1, 'rent', yuan('200000'), 'y1'))];
    expect(errorOf(() => given(all).when(spend(1, 'rent', yuan('200000'), 'y2')))).toMatchObject({
      details: { field: 'evidenceHash', entryId: 'y1' },
    });
  });

  it('still accounts for spending of disbursed funds after revocation', () => {
    const revoked = [...funded(), ...given(funded()).when(revoke('2026-08-01'))];
    expect(given(revoked).when(spend(1, 'rent', fen(100)))[0]!.type).toBe('finance.expenditure-accepted');
  });

  describe('money paid after the revocation (to recover) through spending and corrections', () => {
    const late = { ...disburse(1, yuan('100'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' };
    const base = (...more: Parameters<typeof history>) =>
      history(open(), declare(yuan('1000000')), approve(yuan('1000000')), ...more);
    const stop = (events: ReturnType<typeof history>) => [
      ...events,
      ...given(events).when(revoke('2026-08-01')),
    ];

    it('records a rejection, not a 500, when spending before the stop already used it', () => {
      const spentFirst = stop(
        base(disburse(1, yuan('200000'), 'pay-1'), late, spend(1, 'rent', yuan('200100'), 's1')),
      );
      const [next] = given(spentFirst).when({
        ...spend(1, 'energy', yuan('1'), 's2'),
        evidenceHash: 'b'.repeat(64),
      });
      expect(next).toMatchObject({
        type: 'finance.expenditure-rejected',
        payload: { decision: { outcome: { rejectedFor: ['A13:withinBalance'] } } },
      });
    });

    it('decides a replacement expenditure against it too, so paying it back stays possible', () => {
      const spent = stop(base(disburse(1, yuan('200000'), 'pay-1'), late));
      const after = [...spent, ...given(spent).when(spend(1, 'rent', yuan('200000'), 's1'))];
      const bigger = correct({
        reversesEntryId: 's1',
        reason: 'invoice total',
        correctedOn: '2026-08-20',
        replacement: {
          kind: 'expenditure',
          entryId: 's1b',
          category: 'rent',
          amount: yuan('200100'),
          evidenceHash: HASH,
          spentOn: '2026-07-01',
        },
      });
      expect(errorOf(() => given(after).when(bigger))).toMatchObject({ details: { field: 'replacement' } });
    });

    it('refuses a reversal that would leave spending on it, and takes the one that pays it back', () => {
      const spent = stop(
        base(
          disburse(1, yuan('199900'), 'pay-1'),
          disburse(1, yuan('100'), 'pay-2'),
          late,
          spend(1, 'rent', yuan('200000'), 's1'),
        ),
      );
      const onTime = correct({ reversesEntryId: 'pay-2', reason: 'voucher void', correctedOn: '2026-08-20' });
      expect(errorOf(() => given(spent).when(onTime))).toMatchObject({
        details: { field: 'reversesEntryId' },
      });
      const paidBack = correct({ reversesEntryId: 'late', reason: 'paid back', correctedOn: '2026-08-20' });
      expect(given(spent).when(paidBack)[0]!.type).toBe('finance.entry-reversed');
    });

    it('refuses paying back money already spent (before the stop) until the spending on it is reversed', () => {
      const spentFirst = stop(
        base(disburse(1, yuan('200000'), 'pay-1'), late, spend(1, 'rent', yuan('200100'), 's1')),
      );
      const paidBack = correct({ reversesEntryId: 'late', reason: 'paid back', correctedOn: '2026-08-20' });
      const refused = errorOf(() => given(spentFirst).when(paidBack));
      expect(refused).toMatchObject({ rule: 'A13', details: { field: 'reversesEntryId' } });
      expect(refused.message).toMatch(/reverse the spending on it first/);
      const unspent = [
        ...spentFirst,
        ...given(spentFirst).when(
          correct({
            reversalEntryId: 'rev-s1',
            reversesEntryId: 's1',
            reason: 'repaid',
            correctedOn: '2026-08-20',
          }),
        ),
      ];
      const repaid = [...unspent, ...given(unspent).when(paidBack)];
      expect(accountLedger(stateOf(repaid))[0]!.balance).toEqual(yuan('200000')); // pay-1, unspent
    });

    it('refuses paying back money whose spending leaves the year a single fen short (A13: never more spent than disbursed)', () => {
      // 200,000.00 paid before the stop, 100.00 after it; 200,000.01 spent before the stop. Paying the
      // 100.00 back would leave the year at -0.01: spending on it must be reversed first.
      const spentFirst = stop(
        base(disburse(1, yuan('200000'), 'pay-1'), late, spend(1, 'rent', fen(20_000_001), 's1')),
      );
      const paidBack = correct({ reversesEntryId: 'late', reason: 'paid back', correctedOn: '2026-08-20' });
      const refused = errorOf(() => given(spentFirst).when(paidBack));
      expect(refused).toBeInstanceOf(RuleViolationError);
      expect(refused).toMatchObject({ rule: 'A13', details: { field: 'reversesEntryId' } });
      expect(refused.message).toMatch(/reverse the spending on it first/);
    });
  });

  it('does not let money paid after the revocation (to recover) be spent, so its reversal stays possible', () => {
    const late = { ...disburse(1, yuan('100'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' };
    const paidLate = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      disburse(1, yuan('200000'), 'pay-1'),
      late,
    );
    const revoked = [...paidLate, ...given(paidLate).when(revoke('2026-08-01'))];
    const [all] = given(revoked).when(spend(1, 'rent', yuan('200100')));
    expect(all).toMatchObject({
      type: 'finance.expenditure-rejected',
      payload: {
        decision: { inputs: { disbursedFen: '20000000' }, outcome: { rejectedFor: ['A13:withinBalance'] } },
      },
    });
    const spent = [...revoked, ...given(revoked).when(spend(1, 'rent', yuan('200000')))];
    const repaid = given(spent).when(
      correct({ reversesEntryId: 'late', reason: 'paid back', correctedOn: '2026-08-20' }),
    );
    expect(repaid.map((e) => e.type)).toContain('finance.entry-reversed');
  });

  describe('spentOn: not after the decision day, inside the support year (A13:withinSupportYear, A12.1)', () => {
    const on = (spentOn: string, decidedOn = '2026-07-02') => ({
      ...spend(1, 'rent', fen(100)),
      spentOn,
      decidedOn,
    });

    it.each([
      ['in the future, in another year', '2031-12-31', /outside support year 1/],
      ['one day after the decision day', '2026-07-03', /after the decision day 2026-07-02/],
      [
        'before the support year (1999)',
        '1999-01-01',
        /outside support year 1 \(calendar year 2026, 2026-01-01 to 2026-12-31\)/,
      ],
      ['the day before the support year', '2025-12-31', /outside support year 1/],
    ])(
      'rejects spending %s as an A13 decision, recorded and counted in the rejected',
      (_, spentOn, message) => {
        const [rejected] = given(funded()).when(on(spentOn));
        expect(rejected!.type).toBe('finance.expenditure-rejected');
        const p = rejected!.payload as ExpenditureRejectedV1;
        expect(p).toMatchObject({ expenditureId: 'x1', supportYear: 1, spentOn });
        expect(p.decision.outcome).toEqual({ accepted: false, rejectedFor: ['A13:withinSupportYear'] });
        const window = p.decision.reasons.find((r) => r.criterion === 'withinSupportYear')!;
        expect(window).toMatchObject({ ruleId: 'A13', measured: spentOn, passed: false });
        expect(window.message.en).toMatch(message);
        const state = stateOf([...funded(), rejected!]);
        expect(state.rejectedExpenditures.map((r) => r.expenditureId)).toEqual(['x1']);
        expect(supportYearLedger(state, 1).spent).toEqual(fen(0));
      },
    );

    it('rejects year 1 money on spending dated in calendar year 2027, even when decided then, naming the window', () => {
      const [rejected] = given(funded()).when(on('2027-01-01', '2027-01-05'));
      const p = rejected!.payload as ExpenditureRejectedV1;
      expect(p.decision).toMatchObject({
        rulesetVersion: RULESET_VERSION,
        inputs: { spentOn: '2027-01-01', supportYear: 1, calendarYear: 2026, decidedOn: '2027-01-05' },
        outcome: { accepted: false, rejectedFor: ['A13:withinSupportYear'] },
      });
      expect(p.decision.reasons).toContainEqual(
        expect.objectContaining({ criterion: 'withinSupportYear', threshold: '2026-01-01..2026-12-31' }),
      );
      // Sent again under a new id: that rejection again, a 409 naming it.
      const again = errorOf(() =>
        given([...funded(), rejected!]).when({ ...on('2027-01-01', '2027-01-05'), expenditureId: 'x2' }),
      );
      expect(again).toBeInstanceOf(IllegalTransitionError);
      expect(again.message).toContain('rejected already as expenditure x1');
    });

    it.each([
      ['on the decision day itself', '2026-07-02', '2026-07-02'],
      ['on the first day of the calendar year', '2026-01-01', '2026-07-02'],
      ['on the last day of the calendar year, recorded later', '2026-12-31', '2027-02-01'],
    ])('accepts spending %s', (_, spentOn, decidedOn) => {
      const [accepted] = given(funded()).when(on(spentOn, decidedOn));
      expect(accepted).toMatchObject({ type: 'finance.expenditure-accepted', payload: { spentOn } });
    });

    it('checks a replacement expenditure the same way, against the correction day', () => {
      const spent = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(500)))];
      const replacement = {
        kind: 'expenditure' as const,
        entryId: 'x1b',
        category: 'energy',
        amount: fen(400),
        evidenceHash: HASH,
        spentOn: '2026-07-20',
      };
      const correction = { reversesEntryId: 'x1', correctedOn: '2026-07-10', replacement };
      expect(errorOf(() => given(spent).when(correct(correction)))).toMatchObject({
        rule: 'A13',
        details: { field: 'replacement.spentOn' },
      });
      const early = { ...replacement, spentOn: '2025-12-01' };
      expect(errorOf(() => given(spent).when(correct({ ...correction, replacement: early })))).toMatchObject({
        rule: 'A13',
        details: { field: 'replacement.spentOn', calendarYear: 2026 },
      });
    });
  });

  it.each([
    ['amountFen', spend(1, 'rent', fen(0))],
    ['evidenceHash', { ...spend(1, 'rent', fen(1)), evidenceHash: 'nope' }],
    ['supportYear', spend(0, 'rent', fen(1))],
    ['spentOn', { ...spend(1, 'rent', fen(1)), spentOn: '' }],
    ['category', spend(1, ' ', fen(1))],
  ])('names the bad field %s', (field, command) => {
    expect(errorOf(() => given(funded()).when(command))).toMatchObject({ field });
  });
});

describe('subsidy account: corrections are reversals plus new entries, never edits', () => {
  it("records a corrected disbursement under the voucher given, else the replaced payment's; never none", () => {
    const replacement = (reference?: string) =>
      correct({
        replacement: {
          kind: 'disbursement',
          entryId: 'pay-1b',
          amount: yuan('250000'),
          disbursedOn: '2026-06-01',
          ...(reference === undefined ? {} : { reference }),
        },
      });
    const recorded = (events: { payload: unknown }[]) =>
      (events[1]!.payload as { reference: unknown }).reference;
    expect(recorded(given(funded()).when(replacement('voucher 2026-0043')))).toBe('voucher 2026-0043');
    expect(recorded(given(funded()).when(replacement()))).toBe('voucher pay-1');
    // Given blank, it is a 400 naming it, as on a direct disbursement: not the old voucher taken unsaid.
    for (const blank of ['', '   ', '\t\n'])
      expect(errorOf(() => given(funded()).when(replacement(blank)))).toMatchObject({
        field: 'replacement.reference',
      });
    // A payment recorded before vouchers were required has none to keep: the replacement must give one.
    const unreferenced = funded().map((e) =>
      e.type === 'finance.disbursement-recorded' ? { ...e, payload: { ...e.payload, reference: null } } : e,
    );
    expect(errorOf(() => given(unreferenced).when(replacement()))).toMatchObject({
      field: 'replacement.reference',
    });
    expect(errorOf(() => given(unreferenced).when(replacement(' ')))).toMatchObject({
      field: 'replacement.reference',
    });
    expect(recorded(given(unreferenced).when(replacement('voucher 2026-0043')))).toBe('voucher 2026-0043');
  });

  it("refuses a replacement repeating another standing payment (voucher, amount, year), as a direct one is; the replaced payment's own aside", () => {
    const twoPaid = [...funded(), ...given(funded()).when(disburse(1, yuan('100000'), 'pay-2'))];
    const replacement = (amount: Money, reference?: string) =>
      correct({
        replacement: {
          kind: 'disbursement',
          entryId: 'pay-1b',
          amount,
          disbursedOn: '2026-06-01',
          ...(reference === undefined ? {} : { reference }),
        },
      });
    const error = errorOf(() => given(twoPaid).when(replacement(yuan('100000'), 'voucher pay-2')));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({
      rule: 'A12',
      details: { field: 'replacement.reference', entryId: 'pay-2' },
      message: expect.stringContaining('already recorded as pay-2'),
    });
    // The same payment sent directly is refused the same way.
    expect(
      errorOf(() =>
        given(twoPaid).when({ ...disburse(1, yuan('100000'), 'pay-3'), reference: 'voucher pay-2' }),
      ),
    ).toMatchObject({ rule: 'A12', details: { field: 'reference', entryId: 'pay-2' } });
    // The payment it reverses does not count: its voucher and amount again (a day keyed wrongly) is taken,
    // and so are another amount under the other voucher and its own voucher by default.
    for (const command of [
      replacement(yuan('200000'), 'voucher pay-1'),
      replacement(yuan('200000')),
      replacement(yuan('90000'), 'voucher pay-2'),
    ])
      expect(given(twoPaid).when(command)[1]).toMatchObject({
        type: 'finance.disbursement-recorded',
        payload: { entryId: 'pay-1b', correctsEntryId: 'pay-1' },
      });
    // A payment reversed before is no longer in the ledger: its voucher may be recorded again.
    const reversed = [
      ...twoPaid,
      ...given(twoPaid).when(correct({ reversesEntryId: 'pay-2', reversalEntryId: 'rev-0' })),
    ];
    expect(given(reversed).when(replacement(yuan('100000'), 'voucher pay-2'))[1]!.payload).toMatchObject({
      reference: 'voucher pay-2',
      amountFen: '10000000',
    });
  });

  it('reverses a disbursement and records its replacement, both with the reason', () => {
    const events = given(funded()).when(
      correct({
        replacement: {
          kind: 'disbursement',
          entryId: 'pay-1b',
          amount: yuan('250000'),
          disbursedOn: '2026-06-01',
        },
      }),
    );
    expect(events).toEqual([
      {
        type: 'finance.entry-reversed',
        schemaVersion: 1,
        payload: {
          centerId: 'center-1',
          entryId: 'rev-1',
          reversesEntryId: 'pay-1',
          kind: 'disbursement',
          supportYear: 1,
          amountFen: '20000000',
          reversedOn: '2026-06-10',
          reason: 'voucher keyed wrongly',
        },
      },
      {
        type: 'finance.disbursement-recorded',
        schemaVersion: 1,
        payload: {
          centerId: 'center-1',
          entryId: 'pay-1b',
          supportYear: 1,
          amountFen: '25000000',
          disbursedOn: '2026-06-01',
          reference: 'voucher pay-1', // none given: the replaced payment's voucher is kept
          correctsEntryId: 'pay-1',
          reason: 'voucher keyed wrongly',
        },
      },
    ]);
    const state = stateOf([...funded(), ...events]);
    expect(supportYearLedger(state, 1).disbursed).toEqual(yuan('250000'));
    expect(state.entries.find((e) => e.entryId === 'pay-1')!.reversedByEntryId).toBe('rev-1');
  });

  it('cancels what a disbursement reversed after revocation frees: owed to nobody, each cancellation its own line', () => {
    const stopped = [...funded(), ...given(funded()).when(revoke('2026-08-01'))];
    expect(supportYearLedger(stateOf(stopped), 1)).toMatchObject({ undisbursed: fen(0) });
    const events = given(stopped).when(
      correct({
        correctedOn: '2026-08-10',
        replacement: {
          kind: 'disbursement',
          entryId: 'pay-1b',
          amount: yuan('150000'),
          disbursedOn: '2026-06-01',
        },
      }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'finance.entry-reversed',
      'finance.disbursement-recorded',
      'finance.grant-cancelled',
    ]);
    expect(events[2]!.payload).toEqual({
      centerId: 'center-1',
      supportYear: 1,
      was: 'undisbursed-grant',
      cancelledFen: '5000000',
      revokedOn: '2026-08-01',
      rule: 'A16',
    });
    const state = stateOf([...stopped, ...events]);
    expect(supportYearLedger(state, 1)).toMatchObject({ disbursed: yuan('150000'), undisbursed: fen(0) });
    const cancellations = state.entries.filter((e) => e.kind === 'grant-cancellation').map((e) => e.entryId);
    expect(cancellations).toEqual(['cancel-1', 'cancel-1-2']);
  });

  it('reverses an expenditure alone', () => {
    const spent = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(500)))];
    const events = given(spent).when(correct({ reversesEntryId: 'x1', reason: 'duplicate invoice' }));
    expect(events.map((e) => e.type)).toEqual(['finance.entry-reversed']);
    expect(supportYearLedger(stateOf([...spent, ...events]), 1).spent).toEqual(fen(0));
  });

  it('decides a replacement expenditure again under A13 and refuses a forbidden one', () => {
    const spent = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(500)))];
    const replacement = {
      kind: 'expenditure' as const,
      entryId: 'x1b',
      category: '赞助',
      amount: fen(400),
      evidenceHash: HASH,
      spentOn: '2026-07-01',
    };
    const on = { reversesEntryId: 'x1', correctedOn: '2026-07-10' };
    expect(errorOf(() => given(spent).when(correct({ ...on, replacement })))).toMatchObject({
      rule: 'A13',
      details: { field: 'replacement', reasons: expect.anything() },
    });
    const ok = given(spent).when(correct({ ...on, replacement: { ...replacement, category: 'energy' } }));
    expect(ok[1]!.payload).toMatchObject({ category: 'energy', amountFen: '400', correctsEntryId: 'x1' });
  });

  it("refuses a replacement with another standing entry's spending, and takes one with its own", () => {
    // x1 rent and x2 energy on the same invoice (HASH), 100 fen each; x2 corrected into x1's spending.
    const both = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(100), 'x1'))];
    const spent = [...both, ...given(both).when(spend(1, 'energy', fen(100), 'x2'))];
    const asX1 = {
      kind: 'expenditure' as const,
      entryId: 'x2b',
      category: 'rent',
      amount: fen(100),
      evidenceHash: HASH,
      spentOn: '2026-07-01',
    };
    const on = { reversesEntryId: 'x2', reversalEntryId: 'r-x2', correctedOn: '2026-07-10' };
    expect(errorOf(() => given(spent).when(correct({ ...on, replacement: asX1 })))).toMatchObject({
      rule: 'A13',
      details: { field: 'replacement.evidenceHash', entryId: 'x1' },
    });
    // x1 corrected with its own spending (say its description) is no second accounting.
    const own = { reversesEntryId: 'x1', reversalEntryId: 'r-x1', correctedOn: '2026-07-10' };
    expect(given(spent).when(correct({ ...own, replacement: { ...asX1, entryId: 'x1b' } }))).toHaveLength(2);
    // A replacement's own fields are named as the request gave them.
    const zero = { ...asX1, category: 'energy', amount: fen(0) };
    expect(errorOf(() => given(spent).when(correct({ ...on, replacement: zero })))).toMatchObject({
      field: 'replacement.amountFen',
    });
  });

  it('refuses a reversal that would leave spending above what was disbursed', () => {
    const spent = [...funded(), ...given(funded()).when(spend(1, 'rent', fen(500)))];
    const error = errorOf(() => given(spent).when(correct({})));
    expect(error).toMatchObject({ rule: 'A13', details: { field: 'reversesEntryId' } });
    const small = {
      kind: 'disbursement' as const,
      entryId: 'pay-1b',
      amount: fen(499),
      disbursedOn: '2026-06-01',
    };
    expect(errorOf(() => given(spent).when(correct({ replacement: small })))).toMatchObject({
      details: { field: 'replacement.amountFen' },
    });
  });

  it('refuses a replacement disbursement above the grant', () => {
    const big = {
      kind: 'disbursement' as const,
      entryId: 'pay-1b',
      amount: fen(50_000_001),
      disbursedOn: '2026-06-01',
    };
    expect(errorOf(() => given(funded()).when(correct({ replacement: big })))).toMatchObject({ rule: 'A12' });
  });

  it('refuses to reverse twice, to reverse a grant or a reversal, and needs a reason', () => {
    const reversed = [...funded(), ...given(funded()).when(correct({}))];
    expect(errorOf(() => given(reversed).when(correct({ reversalEntryId: 'rev-2' })))).toMatchObject({
      currentState: 'entry pay-1 reversed by rev-1',
    });
    expect(
      errorOf(() => given(reversed).when(correct({ reversalEntryId: 'rev-2', reversesEntryId: 'rev-1' }))),
    ).toMatchObject({
      field: 'reversesEntryId',
    });
    expect(errorOf(() => given(funded()).when(correct({ reversesEntryId: 'g1' })))).toMatchObject({
      field: 'reversesEntryId',
    });
    expect(errorOf(() => given(funded()).when(correct({ reversesEntryId: 'nope' })))).toMatchObject({
      field: 'reversesEntryId',
    });
    expect(errorOf(() => given(funded()).when(correct({ reason: ' ' })))).toMatchObject({ field: 'reason' });
  });

  it('needs a replacement of the same kind with a new id', () => {
    const wrongKind = {
      kind: 'expenditure' as const,
      entryId: 'x2',
      category: 'rent',
      amount: fen(1),
      evidenceHash: HASH,
      spentOn: '2026-07-01',
    };
    expect(errorOf(() => given(funded()).when(correct({ replacement: wrongKind })))).toMatchObject({
      field: 'replacement.kind',
    });
    const sameId = {
      kind: 'disbursement' as const,
      entryId: 'rev-1',
      amount: fen(1),
      disbursedOn: '2026-06-01',
    };
    expect(errorOf(() => given(funded()).when(correct({ replacement: sameId })))).toMatchObject({
      field: 'replacement.entryId',
    });
  });

  it('after revocation lets a disbursement be corrected downwards only', () => {
    const revoked = [...funded(), ...given(funded()).when(revoke('2026-08-01'))];
    const up = {
      kind: 'disbursement' as const,
      entryId: 'pay-1b',
      amount: fen(20_000_001),
      disbursedOn: '2026-06-01',
    };
    expect(errorOf(() => given(revoked).when(correct({ replacement: up })))).toMatchObject({ rule: 'A12' });
    for (const disbursedOn of ['2099-01-01', '2026-03-09', '2026-06-11'])
      expect(
        errorOf(() => given(revoked).when(correct({ replacement: { ...up, amount: fen(1), disbursedOn } }))),
      ).toMatchObject({ field: 'replacement.disbursedOn' });
    const down = given(revoked).when(correct({ replacement: { ...up, amount: fen(19_000_000) } }));
    expect(down.map((e) => e.type)).toEqual([
      'finance.entry-reversed',
      'finance.disbursement-recorded',
      'finance.grant-cancelled', // the 1 000 000 fen no longer paid
    ]);
  });
});

describe('subsidy account: ledger view', () => {
  it('shows granted, cancelled, disbursed, spent and balance per support year', () => {
    const events = [...funded(), ...given(funded()).when(spend(1, 'rent', yuan('1000.50')))];
    expect(accountLedger(stateOf(events))[0]).toEqual({
      supportYear: 1,
      calendarYear: 2026,
      status: 'granted',
      granted: yuan('500000'),
      cancelled: fen(0),
      disbursed: yuan('200000'),
      spent: yuan('1000.50'),
      undisbursed: yuan('300000'),
      balance: yuan('198999.50'),
    });
  });
});
