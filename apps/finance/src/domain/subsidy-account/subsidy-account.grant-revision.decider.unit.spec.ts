import { IllegalTransitionError, InvalidInputError } from '@nqpf/domain';
import { defaultPolicy, Grade, Policy } from '@nqpf/rules';
import { planRevision } from './decide-grant-revision';
import { ReviseGrantOnAssessment } from './subsidy-account.commands';
import { SubsidyAccountEvent } from './subsidy-account.events';
import { supportYearLedger } from './subsidy-account.ledger';
import {
  assessed,
  declare,
  approve,
  disburse,
  errorOf,
  given,
  history,
  open,
  revoke,
  stateOf,
  yuan,
} from './testing/given';

/** assessment.assessment-revised of support year `assessedSupportYear` (calendar year 2025 + n), on 2027-03-20. */
const regraded = (
  assessedSupportYear: number,
  previousGrade: Grade,
  grade: Grade,
  policy: Policy = defaultPolicy,
  n = 1,
): ReviseGrantOnAssessment => ({
  kind: 'revise-grant-on-assessment',
  assessedYear: 2025 + assessedSupportYear,
  assessedSupportYear,
  previousGrade,
  grade,
  reason: '录入错误，按考核结论更正',
  revisedOn: `${2026 + assessedSupportYear}-03-20`,
  reversalEntryId: `regrant-reversal-${n}`,
  entryId: `regrant-${n}`,
  policy,
});

const types = (events: SubsidyAccountEvent[]) => events.map((e) => e.type);

describe('subsidy account: a grade corrected by the bureau decides its grant again (A12.3)', () => {
  /** Support year 1 (2026) graded 合格 on 2027-03-01: support year 2 granted 50 % of 1 000 000.00. */
  const granted = () =>
    history(open(), declare(yuan('1000000')), approve(yuan('1000000')), assessed(1, '合格'));

  it('reverses the grant standing and decides it again on the corrected grade, as a year-1 approval is revised', () => {
    const events = given(granted()).when(regraded(1, '合格', '良好'));
    expect(types(events)).toEqual(['finance.annual-grant-revised', 'finance.grant-decided']);
    expect(events[0]!.payload).toEqual({
      centerId: 'center-1',
      supportYear: 2,
      calendarYear: 2027,
      assessedYear: 2026,
      assessedSupportYear: 1,
      previousGrade: '合格',
      grade: '良好',
      revisedOn: '2027-03-20',
      reason: '录入错误，按考核结论更正',
      previousGrantEntryId: 'g2',
      previousGrantFen: '50000000',
      policyVersion: defaultPolicy.version,
      reversalEntryId: 'regrant-reversal-1',
    });
    expect(events[1]!.payload).toMatchObject({
      entryId: 'regrant-1',
      supportYear: 2,
      amountFen: '75000000',
      decidedOn: '2027-03-20',
      policyVersion: defaultPolicy.version,
      basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '良好' },
      decision: { rule: 'subsidy-annual', inputs: { supportYear: 2, previousYearGrade: '良好' } },
    });
    const state = stateOf([...granted(), ...events]);
    expect(supportYearLedger(state, 2).granted.toFenText()).toBe('75000000');
    expect(state.entries.find((e) => e.entryId === 'g2')?.reversedByEntryId).toBe('regrant-reversal-1');
    expect(state.years[1]).toMatchObject({ status: 'granted', basis: { grade: '良好' } });
  });

  it("decides it again under the policy version it is given (finance gives the first grant's: inbound-commands.ts)", () => {
    const events = given(granted()).when(regraded(1, '合格', '优秀'));
    expect(events[1]!.payload).toMatchObject({
      amountFen: '100000000',
      policyVersion: defaultPolicy.version,
    });
  });

  it('grants nothing on a grade corrected to 不合格, with the decision saying why', () => {
    const events = given(granted()).when(regraded(1, '合格', '不合格'));
    expect(events[1]!.payload).toMatchObject({
      amountFen: '0',
      decision: { outcome: { granted: false } },
    });
    expect(supportYearLedger(stateOf([...granted(), ...events]), 2).granted.toFenText()).toBe('0');
  });

  it('never lowers a grant below what the year has disbursed: held (409) until those disbursements are corrected', () => {
    const paid = history(open(), declare(yuan('1000000')), approve(yuan('1000000')), assessed(1, '合格'), {
      ...disburse(2, yuan('300000')),
      disbursedOn: '2027-03-05',
      recordedOn: '2027-03-05',
    });
    const down = regraded(1, '合格', '不合格');
    expect(planRevision(down, stateOf(paid))).toEqual({
      kind: 'held',
      because:
        'support year 2 has 30000000 fen disbursed, more than the grant of 0 fen on 不合格 (correct those disbursements first)',
      grantFen: '0',
      disbursedFen: '30000000',
    });
    const err = errorOf(() => given(paid).when(down));
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err.message).toContain('correct those disbursements first');
    // Up is never held; down is, only below what was paid (300 000.00 ≤ 500 000.00 on 合格).
    expect(types(given(paid).when(regraded(1, '合格', '良好')))).toEqual([
      'finance.annual-grant-revised',
      'finance.grant-decided',
    ]);
    const paidBack = [
      ...paid,
      ...given(paid).when({
        kind: 'correct-entry',
        reversalEntryId: 'rev-pay-2',
        reversesEntryId: 'pay-2',
        reason: '按更正后的考核结论收回',
        correctedOn: '2027-03-25',
        policy: defaultPolicy,
      }),
    ];
    expect(types(given(paidBack).when(down))).toEqual([
      'finance.annual-grant-revised',
      'finance.grant-decided',
    ]);
  });

  it('refuses a disbursement while a correction is held, naming the support year, the corrected grant and what to correct', () => {
    const paid = history(open(), declare(yuan('1000000')), approve(yuan('1000000')), assessed(1, '合格'), {
      ...disburse(2, yuan('300000')),
      disbursedOn: '2027-03-05',
      recordedOn: '2027-03-05',
    });
    const held = {
      supportYear: 2,
      assessedYear: 2026,
      previousGrade: '合格' as const,
      grade: '不合格' as const,
      revisedOn: '2027-03-20',
      reason: '录入错误，按考核结论更正',
      grantFen: '0',
    };
    const more = { ...disburse(1, yuan('1000'), 'pay-1b'), heldRevisions: [held] };
    const err = errorOf(() => given(paid).when(more));
    expect(err).toBeInstanceOf(IllegalTransitionError);
    expect(err.message).toBe(
      "cannot disburse when support year 2's grant is held for the 2026 grade corrected to 不合格 on 2027-03-20: " +
        'it grants 0 fen, 30000000 fen less than the 30000000 fen disbursed (A12.3); correct 30000000 fen of ' +
        "support year 2's disbursements first (POST /accounts/:centerId/corrections)",
    );
    expect(err.details).toMatchObject({
      heldRevisions: [
        {
          supportYear: 2,
          assessedYear: 2026,
          grade: '不合格',
          grantFen: '0',
          disbursedFen: '30000000',
          toCorrectFen: '30000000',
        },
      ],
    });
    // Nothing held: the same payment is recorded.
    expect(types(given(paid).when({ ...more, heldRevisions: [] }))).toEqual([
      'finance.disbursement-recorded',
    ]);
  });

  it('plans a later correction from the grade the grant stands on, whatever grade the correction says it replaced', () => {
    // An earlier correction (合格 → 不合格) was held and never applied: the grant still stands on 合格.
    expect(planRevision(regraded(1, '不合格', '良好', defaultPolicy, 2), stateOf(granted()))).toMatchObject({
      kind: 'revise',
      amountFen: '75000000',
    });
    expect(types(given(granted()).when(regraded(1, '不合格', '良好', defaultPolicy, 2)))).toEqual([
      'finance.annual-grant-revised',
      'finance.grant-decided',
    ]);
    // Corrected back to the grade the grant stands on: nothing to decide again.
    expect(planRevision(regraded(1, '不合格', '合格', defaultPolicy, 2), stateOf(granted()))).toEqual({
      kind: 'nothing',
    });
  });

  it('decides nothing again when the corrected grade already stands (delivered again)', () => {
    const once = [...granted(), ...given(granted()).when(regraded(1, '合格', '良好'))];
    expect(given(once).when(regraded(1, '合格', '良好'))).toEqual([]);
  });

  it('with no grant standing yet, the grant is simply decided on the corrected grade', () => {
    const opened = history(open());
    const events = given(opened).when(regraded(1, '不合格', '合格'));
    expect(types(events)).toEqual(['finance.grant-decided']);
    expect(events[0]!.payload).toMatchObject({
      entryId: 'regrant-1',
      supportYear: 2,
      amountFen: '50000000',
      decidedOn: '2027-03-20',
      basis: { grade: '合格' },
    });
  });

  it('decides nothing again after the last support year or once support stopped (revocation is final)', () => {
    const third = history(open(), assessed(1, '合格'), assessed(2, '合格'));
    expect(given(third).when(regraded(3, '合格', '优秀'))).toEqual([]);
    const stopped = [...granted(), ...given(granted()).when(revoke('2027-03-15'))];
    expect(given(stopped).when(regraded(1, '合格', '优秀'))).toEqual([]);
  });

  it('names bad input: a grade unknown, a support year and calendar year that do not match', () => {
    expect(
      errorOf(() => given(granted()).when({ ...regraded(1, '合格', '良好'), grade: 'A' as Grade })),
    ).toBeInstanceOf(InvalidInputError);
    expect(
      errorOf(() => given(granted()).when({ ...regraded(1, '合格', '良好'), assessedYear: 2027 })),
    ).toMatchObject({
      field: 'year',
    });
    expect(
      errorOf(() => given(granted()).when({ ...regraded(1, '合格', '良好'), reason: ' ' })),
    ).toMatchObject({
      field: 'reason',
    });
  });
});
