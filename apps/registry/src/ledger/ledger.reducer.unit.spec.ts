import { EventEnvelope, FinanceEventTypes as F } from '@nqpf/contracts';
import { accountOpened } from '../standing/center-story.fixture';
import { envelope } from '../standing/event-fixture';
import { reduceLedger } from './ledger.reducer';
import { balanceOf, emptyLedger } from './ledger.state';
import { encodeLedger } from './ledger.codec';
import { toLedgerView } from './ledger.view';

const C = 'center-1';
const grant = envelope(F.GrantDecided, C, {
  centerId: C,
  entryId: 'g1',
  supportYear: 1,
  calendarYear: 2026,
  amountFen: '150000000',
  decidedOn: '2026-05-01',
  policyVersion: 'p2026',
});
const disburse = envelope(F.DisbursementRecorded, C, {
  centerId: C,
  entryId: 'd1',
  supportYear: 1,
  amountFen: '100000000',
  disbursedOn: '2026-05-10',
  reference: null,
  correctsEntryId: null,
  reason: null,
});
/** finance's stop (A16, revoked 2026-08-01) and its cancellation of support year 1. */
const stopped = envelope(F.SupportStopped, C, {
  centerId: C,
  revokedOn: '2026-08-01',
  rule: 'A16',
  reason: 'premises reduced',
  paidAfterRevocation: [],
});
const cancelled = (cancelledFen: string) =>
  envelope(F.GrantCancelled, C, {
    centerId: C,
    supportYear: 1,
    was: cancelledFen === '0' ? 'awaiting-grant' : 'undisbursed-grant',
    cancelledFen,
    revokedOn: '2026-08-01',
    rule: 'A16',
  });
const spend = (entryId: string, category: string, amountFen: string) =>
  envelope(F.ExpenditureAccepted, C, {
    centerId: C,
    entryId,
    supportYear: 1,
    category,
    amountFen,
    spentOn: '2026-06-01',
    reason: null,
    decision: { policyVersion: 'p2026' },
  });

describe('ledger reducer', () => {
  const after = (events: ReturnType<typeof envelope>[]) => events.reduce(reduceLedger, emptyLedger(C));

  it('sums granted, disbursed and spent by category per support year, balance = disbursed − spent', () => {
    const state = after([
      accountOpened(C, '南关区', '2026-03-10'),
      grant,
      disburse,
      spend('e1', 'rent', '3000000'),
      spend('e2', 'rent', '2000000'),
      spend('e3', 'energy', '1000000'),
    ]);
    const year1 = state.years['1'];
    expect(state.district).toBe('南关区');
    expect(year1).toMatchObject({
      calendarYear: 2026,
      granted: 150000000n,
      disbursed: 100000000n,
      spent: 6000000n,
    });
    expect(year1.spentByCategory).toEqual({ rent: 5000000n, energy: 1000000n });
    expect(balanceOf(year1)).toBe(94000000n);
    expect(state.years['3']).toMatchObject({ calendarYear: 2028, granted: 0n });
    expect(state.entries.map((e) => [e.entryId, e.kind, e.policyVersion])).toEqual([
      ['g1', 'grant', 'p2026'],
      ['d1', 'disbursement', null],
      ['e1', 'expenditure', 'p2026'],
      ['e2', 'expenditure', 'p2026'],
      ['e3', 'expenditure', 'p2026'],
    ]);
  });

  it('counts a rejected expenditure (case 12: sponsorship) without spending it', () => {
    const state = after([
      grant,
      disburse,
      envelope(F.ExpenditureRejected, C, {
        centerId: C,
        expenditureId: 'x1',
        supportYear: 1,
        category: '赞助', // as the operator sent it; the decision names its code, as an accepted entry does
        amountFen: '500000',
        spentOn: '2026-06-02',
        decision: {
          policyVersion: 'p2026',
          inputs: { category: 'sponsorship' },
          outcome: { accepted: false, rejectedFor: ['A13 forbidden'] },
        },
      }),
    ]);
    expect(state.years['1']).toMatchObject({ spent: 0n, rejected: 500000n });
    expect(state.entries.at(-1)).toMatchObject({
      kind: 'rejected-expenditure',
      category: 'sponsorship',
      reason: 'A13 forbidden',
    });
  });

  it('undoes a reversed expenditure in its category', () => {
    const state = after([
      grant,
      disburse,
      spend('e1', 'rent', '3000000'),
      envelope(F.EntryReversed, C, {
        centerId: C,
        entryId: 'r1',
        reversesEntryId: 'e1',
        kind: 'expenditure',
        supportYear: 1,
        amountFen: '3000000',
        reversedOn: '2026-06-05',
        reason: 'wrong invoice',
      }),
    ]);
    expect(state.years['1']).toMatchObject({ spent: 0n, spentByCategory: { rent: 0n } });
    expect(state.entries.at(-1)).toMatchObject({ kind: 'reversal', reversesEntryId: 'e1', category: 'rent' });
  });

  it('names the entry a replacement corrects, as finance recorded it', () => {
    const original = spend('e1b', 'energy', '3000000');
    const replacement = { ...original, payload: { ...original.payload, correctsEntryId: 'e1' } };
    const state = after([grant, disburse, spend('e1', 'rent', '3000000'), replacement]);
    expect(state.entries.at(-1)).toMatchObject({ entryId: 'e1b', correctsEntryId: 'e1' });
    expect(state.entries.at(-2)).not.toHaveProperty('correctsEntryId');
  });

  it('applies an entry id once even if it comes again', () => {
    const state = after([grant, disburse, disburse]);
    expect(state.entries).toHaveLength(2);
    expect(state.years['1'].disbursed).toBe(100000000n);
  });

  it('takes back the year-1 grant the bureau revised and books the new one, once even if the revision comes again', () => {
    const revised = envelope(F.Year1ApprovalRevised, C, {
      centerId: C,
      declarationId: 'd-1',
      revisedOn: '2026-05-20',
      declaredFen: '400000000',
      previousApprovedFen: '300000000',
      approvedFen: '400000000',
      reason: 'approval keyed wrongly',
      previousGrantEntryId: 'g1',
      previousGrantFen: '150000000',
      reversalEntryId: 'rev-g1',
    });
    const regrant = envelope(F.GrantDecided, C, {
      ...grant.payload,
      entryId: 'g1b',
      amountFen: '200000000',
      decidedOn: '2026-05-20',
    });
    const state = after([grant, disburse, revised, { ...revised, id: 'again' }, regrant]);
    expect(state.years['1']).toMatchObject({ granted: 200000000n, disbursed: 100000000n });
    expect(state.entries.map((e) => [e.entryId, e.kind])).toEqual([
      ['g1', 'grant'],
      ['d1', 'disbursement'],
      ['rev-g1', 'reversal'],
      ['g1b', 'grant'],
    ]);
    expect(state.entries[2]).toMatchObject({
      amount: 150000000n,
      on: '2026-05-20',
      reversesEntryId: 'g1',
      reversedKind: 'grant',
      reason: 'approval keyed wrongly',
    });
  });

  it('takes back the grant a corrected grade decided and books the one on the corrected grade, once', () => {
    const onQualified = envelope(F.GrantDecided, C, {
      centerId: C,
      entryId: 'g2',
      supportYear: 2,
      calendarYear: 2027,
      amountFen: '50000000',
      decidedOn: '2027-02-15',
      policyVersion: 'p2026',
      basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '合格' },
    });
    const revised = envelope(F.AnnualGrantRevised, C, {
      centerId: C,
      supportYear: 2,
      calendarYear: 2027,
      assessedYear: 2026,
      assessedSupportYear: 1,
      previousGrade: '合格',
      grade: '良好',
      revisedOn: '2027-02-16',
      reason: '录入错误',
      previousGrantEntryId: 'g2',
      previousGrantFen: '50000000',
      policyVersion: 'p2026',
      reversalEntryId: 'regrant-reversal-1',
    });
    const regrant = envelope(F.GrantDecided, C, {
      ...onQualified.payload,
      entryId: 'regrant-1',
      amountFen: '75000000',
      decidedOn: '2027-02-16',
      basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '良好' },
    });
    const state = after([onQualified, revised, { ...revised, id: 'again' }, regrant]);
    expect(state.years['2']).toMatchObject({ granted: 75000000n, grantPolicyVersion: 'p2026' });
    expect(state.entries.map((e) => [e.entryId, e.kind])).toEqual([
      ['g2', 'grant'],
      ['regrant-reversal-1', 'reversal'],
      ['regrant-1', 'grant'],
    ]);
    expect(state.entries[1]).toMatchObject({
      amount: 50000000n,
      on: '2027-02-16',
      reversesEntryId: 'g2',
      reversedKind: 'grant',
      policyVersion: 'p2026',
      reason: '2026: 合格 → 良好: 录入错误',
    });
  });

  it('books what a revocation cancels, and no line where nothing was left to cancel (as finance does)', () => {
    const cancelled = (supportYear: number, cancelledFen: string) =>
      envelope(F.GrantCancelled, C, {
        centerId: C,
        supportYear,
        was: cancelledFen === '0' ? 'awaiting-grant' : 'undisbursed-grant',
        cancelledFen,
        revokedOn: '2026-08-01',
        rule: 'A16',
      });
    const state = after([grant, disburse, cancelled(1, '50000000'), cancelled(2, '0'), cancelled(3, '0')]);
    expect(state.entries.filter((e) => e.kind === 'cancellation').map((e) => e.amount)).toEqual([50000000n]);
    expect(state.years['1'].cancelled).toBe(50000000n);
    // Numbered as finance numbers them: a later cancellation of the year (money a reversal freed) is -2.
    // Dated the day of the reversal that freed it (finance appends it right after), not the revocation's.
    const paidBack = envelope(F.EntryReversed, C, {
      centerId: C,
      entryId: 'r1',
      reversesEntryId: 'd1',
      kind: 'disbursement',
      supportYear: 1,
      amountFen: '1000',
      reversedOn: '2026-11-20',
      reason: '退回',
    });
    const later = after([grant, disburse, cancelled(1, '50000000'), paidBack, cancelled(1, '1000')]);
    expect(later.entries.find((e) => e.entryId === 'r1')).toMatchObject({ reversedKind: 'disbursement' });
    expect(later.entries.filter((e) => e.kind === 'cancellation').map((e) => [e.entryId, e.on])).toEqual([
      ['cancel-1', '2026-08-01'],
      ['cancel-1-2', '2026-11-20'],
    ]);
  });

  it('dates a cancellation a reversal after the stop frees on the reversal, also when the stop cancelled nothing', () => {
    const reversal = (entryId: string, reversedOn: string) =>
      envelope(F.EntryReversed, C, {
        centerId: C,
        entryId,
        reversesEntryId: 'd1',
        kind: 'disbursement',
        supportYear: 1,
        amountFen: '1000',
        reversedOn,
        reason: '退回',
      });
    const dates = (events: EventEnvelope[]) =>
      after(events)
        .entries.filter((e) => e.kind === 'cancellation')
        .map((e) => [e.entryId, e.on]);
    // The grant was paid in full: the stop cancels nothing; money paid back later is cancelled that day.
    expect(
      dates([grant, disburse, stopped, cancelled('0'), reversal('r1', '2026-11-20'), cancelled('1000')]),
    ).toEqual([['cancel-1', '2026-11-20']]);
    // A reversal before the stop does not date the stop's own cancellation.
    expect(dates([grant, disburse, reversal('r0', '2026-07-01'), stopped, cancelled('1000')])).toEqual([
      ['cancel-1', '2026-08-01'],
    ]);
  });

  it("keeps a disbursement's voucher reference, and none where finance recorded none", () => {
    const withVoucher = envelope(F.DisbursementRecorded, C, {
      ...disburse.payload,
      entryId: 'd2',
      reference: 'TV-2026-0042',
    });
    const entries = after([grant, disburse, withVoucher]).entries;
    expect(entries.find((e) => e.entryId === 'd2')).toMatchObject({ reference: 'TV-2026-0042' });
    expect(entries.find((e) => e.entryId === 'd1')).not.toHaveProperty('reference');
  });

  it('shows that support stopped, and the disbursements dated after the revocation still standing (to recover)', () => {
    const paid = (entryId: string, disbursedOn: string) =>
      envelope(F.DisbursementRecorded, C, { ...disburse.payload, entryId, amountFen: '1000', disbursedOn });
    const repaid = envelope(F.EntryReversed, C, {
      centerId: C,
      entryId: 'rev-late-2',
      supportYear: 1,
      kind: 'disbursement',
      amountFen: '1000',
      reversesEntryId: 'late-2',
      reversedOn: '2026-08-20',
      reason: 'paid back',
    });
    const state = after([
      grant,
      disburse,
      paid('on-the-day', '2026-08-01'),
      paid('late-1', '2026-08-03'),
      paid('late-2', '2026-08-04'),
      stopped,
      repaid,
    ]);
    const view = toLedgerView(encodeLedger(state));
    expect(view.stopped).toEqual({ revokedOn: '2026-08-01', rule: 'A16' });
    expect(view.paidAfterRevocation).toEqual([
      { entryId: 'late-1', supportYear: 1, amountFen: '1000', disbursedOn: '2026-08-03' },
    ]);
    expect(toLedgerView(encodeLedger(after([grant, disburse])))).toMatchObject({
      stopped: null,
      paidAfterRevocation: [],
    });
  });

  describe('a payment made before the revocation, recorded after the stop (finance.cancellation-reduced)', () => {
    // As finance appends them: the cancellation taken back, then the disbursement.
    const reduced = envelope(F.CancellationReduced, C, {
      centerId: C,
      entryId: 'less-d-late',
      supportYear: 1,
      amountFen: '20000000',
      disbursementEntryId: 'd-late',
      disbursedOn: '2026-07-25',
      reducedOn: '2026-08-12',
      revokedOn: '2026-08-01',
      rule: 'A16',
    });
    const paid = envelope(F.DisbursementRecorded, C, {
      ...disburse.payload,
      entryId: 'd-late',
      amountFen: '20000000',
      disbursedOn: '2026-07-25',
      reference: 'TV-0725',
    });
    const repaid = envelope(F.EntryReversed, C, {
      centerId: C,
      entryId: 'rev-d-late',
      reversesEntryId: 'd-late',
      kind: 'disbursement',
      supportYear: 1,
      amountFen: '20000000',
      reversedOn: '2026-09-01',
      reason: 'paid back',
    });
    const story = [grant, disburse, stopped, cancelled('50000000'), reduced, paid];

    it('lowers the year’s cancelled and raises disbursed by the amount, with entries a reader can follow', () => {
      const state = after(story);
      expect(state.years['1']).toMatchObject({
        granted: 150000000n,
        cancelled: 30000000n,
        disbursed: 120000000n,
        spent: 0n,
      });
      expect(balanceOf(state.years['1'])).toBe(120000000n);
      expect(state.entries.slice(-3)).toEqual([
        expect.objectContaining({
          entryId: 'cancel-1',
          kind: 'cancellation',
          amount: 50000000n,
          on: '2026-08-01',
        }),
        expect.objectContaining({
          entryId: 'less-d-late',
          kind: 'cancellation-reduction',
          amount: 20000000n,
          on: '2026-08-12',
          reversesEntryId: null,
          reason: 'A16: disbursement d-late paid on 2026-07-25, on or before the revocation (2026-08-01)',
        }),
        expect.objectContaining({
          entryId: 'd-late',
          kind: 'disbursement',
          on: '2026-07-25',
          reference: 'TV-0725',
        }),
      ]);
      // Paid before the revocation: nothing to recover.
      expect(toLedgerView(encodeLedger(state)).paidAfterRevocation).toEqual([]);
      const view = toLedgerView(encodeLedger(state)).years[0]!;
      // 150 granted − 30 cancelled − 120 disbursed: nothing left to pay after the stop.
      expect(view).toMatchObject({
        cancelled: '30000000',
        disbursed: '120000000',
        balance: '120000000',
        undisbursed: '0',
      });
    });

    it('is the same fold with every event delivered again, and numbers a later cancellation as finance does', () => {
      expect(after([...story, reduced, paid, reduced])).toEqual(after(story));
      const back = after([...story, repaid, cancelled('20000000')]);
      expect(back.years['1']).toMatchObject({ cancelled: 50000000n, disbursed: 100000000n });
      expect(back.entries.filter((e) => e.kind === 'cancellation').map((e) => [e.entryId, e.on])).toEqual([
        ['cancel-1', '2026-08-01'],
        ['cancel-1-2', '2026-09-01'],
      ]);
    });
  });
});
