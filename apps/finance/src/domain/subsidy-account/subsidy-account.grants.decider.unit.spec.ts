import { GrantDecidedV1 } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import { defaultPolicy, validatePolicy } from '@nqpf/rules';
import { DeclareYear1Costs } from './subsidy-account.commands';
import { paidAfterRevocation, supportYearLedger } from './subsidy-account.ledger';
import {
  approve,
  assessed,
  declare,
  disburse,
  errorOf,
  fen,
  given,
  history,
  open,
  revise,
  revoke,
  stateOf,
  yuan,
} from './testing/given';

const grantOf = (events: { type: string; payload: unknown }[]) =>
  events.find((e) => e.type === 'finance.grant-decided')!.payload as GrantDecidedV1;

const newerPolicy = validatePolicy({
  ...defaultPolicy,
  version: 'policy-2027.1',
  effectiveFrom: '2027-01-01',
  annualBaseFen: '200000000',
});

describe('subsidy account: opening (A12.1)', () => {
  it('opens on recognition with support years 1–3 as calendar years from the recognition year', () => {
    expect(given([]).when(open())).toEqual([
      {
        type: 'finance.subsidy-account-opened',
        schemaVersion: 1,
        payload: {
          centerId: 'center-1',
          district: '朝阳区',
          operatorId: 'operator-1',
          recognizedOn: '2026-03-10',
          policyVersion: 'policy-2026.1',
          supportYears: [
            { supportYear: 1, calendarYear: 2026 },
            { supportYear: 2, calendarYear: 2027 },
            { supportYear: 3, calendarYear: 2028 },
          ],
        },
      },
    ]);
  });

  it('ignores the same recognition delivered again, and refuses a different one', () => {
    const opened = history(open());
    expect(given(opened).when(open())).toEqual([]);
    expect(errorOf(() => given(opened).when({ ...open(), recognizedOn: '2026-04-01' }))).toBeInstanceOf(
      IllegalTransitionError,
    );
  });

  it.each([
    ['recognizedOn', { recognizedOn: '2026-02-30' }],
    ['district', { district: ' ' }],
    ['operatorId', { operatorId: '' }],
    ['centerId', { centerId: '' }],
  ])('names the bad field %s', (field, patch) => {
    expect(errorOf(() => given([]).when({ ...open(), ...patch }))).toMatchObject({ field });
  });

  it('refuses a policy not yet in force on the recognition date', () => {
    expect(errorOf(() => given([]).when(open(newerPolicy)))).toMatchObject({ field: 'policy' });
  });

  it('opens under a new policy on the day it takes effect (A12.1, in force from its first day)', () => {
    const [opened] = given([]).when({ ...open(newerPolicy), recognizedOn: '2027-01-01' });
    expect(opened!.payload).toMatchObject({ recognizedOn: '2027-01-01', policyVersion: 'policy-2027.1' });
  });
});

describe('subsidy account: year 1 from declared and approved costs (A12.2)', () => {
  it('refuses costs that together exceed what the ledger holds as a 400 naming items, not a 500', () => {
    const huge = { category: 'rent', amount: fen(999_999_999_999_999_999n), evidenceHash: 'c'.repeat(64) };
    const error = errorOf(() =>
      given(history(open())).when({
        kind: 'declare-year1-costs',
        declarationId: 'd1',
        declaredOn: '2026-04-01',
        items: [huge, huge],
      }),
    );
    expect(error).toMatchObject({ field: 'items', status: 400 });
  });

  it('records the declaration with categories, evidence and the total', () => {
    const events = given(history(open())).when({
      kind: 'declare-year1-costs',
      declarationId: 'd1',
      declaredOn: '2026-04-01',
      items: [
        {
          category: '建设费',
          amount: yuan('800000.00'),
          evidenceHash: 'b'.repeat(64),
          description: 'fit-out',
        },
        { category: 'rent', amount: fen(20_000_000), evidenceHash: 'c'.repeat(64) },
      ],
    });
    expect(events).toEqual([
      {
        type: 'finance.year1-costs-declared',
        schemaVersion: 1,
        payload: {
          centerId: 'center-1',
          declarationId: 'd1',
          declaredOn: '2026-04-01',
          items: [
            {
              category: 'construction',
              amountFen: '80000000',
              evidenceHash: 'b'.repeat(64),
              description: 'fit-out',
            },
            { category: 'rent', amountFen: '20000000', evidenceHash: 'c'.repeat(64), description: '' },
          ],
          totalFen: '100000000',
        },
      },
    ]);
  });

  it('grants rate × approved below the cap, recording the policy version and the decision', () => {
    const events = given(history(open(), declare(yuan('1000000.00')))).when(approve(yuan('1000000.00')));
    expect(events[0]).toEqual({
      type: 'finance.year1-costs-approved',
      schemaVersion: 1,
      payload: {
        centerId: 'center-1',
        declarationId: 'd1',
        approvedOn: '2026-05-01',
        declaredFen: '100000000',
        approvedFen: '100000000',
        reason: null,
      },
    });
    const grant = grantOf(events);
    expect(grant).toMatchObject({
      supportYear: 1,
      calendarYear: 2026,
      amountFen: '50000000',
      decidedOn: '2026-05-01',
      policyVersion: 'policy-2026.1',
      basis: { kind: 'year1-costs', declarationId: 'd1', approvedFen: '100000000' },
    });
    expect(grant.decision).toMatchObject({ rule: 'subsidy-year1', policyVersion: 'policy-2026.1' });
    expect(grant.decision.outcome).toEqual({ amountFen: '50000000', granted: true, capped: false });
  });

  it('grants the cap when rate × approved exceeds it', () => {
    const events = given(history(open(), declare(yuan('10000000')))).when(approve(yuan('10000000')));
    expect(grantOf(events)).toMatchObject({
      amountFen: '300000000',
      decision: { outcome: { capped: true } },
    });
  });

  it('rounds down to the fen on an odd amount', () => {
    const events = given(history(open(), declare(fen(12_345)))).when(approve(fen(12_345)));
    expect(grantOf(events).amountFen).toBe('6172');
  });

  it('approves less than declared only with a written reason', () => {
    const declared = history(open(), declare(yuan('1000000')));
    expect(errorOf(() => given(declared).when(approve(yuan('600000'))))).toMatchObject({ field: 'reason' });
    const events = given(declared).when(approve(yuan('600000'), 'rent invoices beyond 2026 not eligible'));
    expect(events[0]!.payload).toMatchObject({
      approvedFen: '60000000',
      reason: 'rent invoices beyond 2026 not eligible',
    });
    expect(grantOf(events).amountFen).toBe('30000000');
  });

  it('refuses to approve more than declared', () => {
    const error = errorOf(() => given(history(open(), declare(fen(100)))).when(approve(fen(101))));
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({ rule: 'A12.2', details: { field: 'approvedFen' } });
  });

  it('refuses forbidden and unknown cost categories, naming the item and the rule', () => {
    const opened = history(open());
    expect(errorOf(() => given(opened).when(declare(fen(100), '赞助')))).toMatchObject({
      rule: 'A13',
      details: { field: 'items[0].category' },
    });
    expect(errorOf(() => given(opened).when(declare(fen(100), 'catering')))).toMatchObject({
      rule: 'A12.2',
      details: { field: 'items[0].category' },
    });
  });

  it.each([
    ['items[0].amountFen', declare(fen(0))],
    [
      'items[0].evidenceHash',
      { ...declare(fen(5)), items: [{ category: 'rent', amount: fen(5), evidenceHash: 'ABC' }] },
    ],
    ['items', { ...declare(fen(5)), items: [] }],
    ['declaredOn', { ...declare(fen(5)), declaredOn: '2026-03-09' }],
    ['declarationId', { ...declare(fen(5)), declarationId: '' }],
  ] as [string, DeclareYear1Costs][])('names the bad field %s of a declaration', (field, command) => {
    const error = errorOf(() => given(history(open())).when(command));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
  });

  it('takes a new declaration in place of the pending one until approved; refuses the same one twice and an approval without one', () => {
    const declared = history(open(), declare(fen(100)));
    expect(errorOf(() => given(declared).when(declare(fen(100))))).toMatchObject({
      currentState: 'year-1 costs d1 declared',
      attemptedAction: 'declare year-1 costs',
    });
    const mended = {
      ...declare(fen(150)),
      declarationId: 'd2',
      declaredOn: '2026-04-03',
      replacesDeclarationId: 'd1',
      reason: 'fit-out invoice 7 left out',
    };
    const replaced = history(open(), declare(fen(100)), mended);
    // The bureau read d1; the operator replaced it since: out of date, a 409 naming the pending one.
    const stale = errorOf(() => given(replaced).when(approve(fen(150))));
    expect(stale).toBeInstanceOf(IllegalTransitionError);
    expect(stale).toMatchObject({
      currentState: 'the pending declaration is d2',
      attemptedAction: 'approve year-1 costs d1',
    });
    expect(given(replaced).when({ ...approve(fen(150)), declarationId: 'd2' })[0]).toMatchObject({
      type: 'finance.year1-costs-approved',
      payload: { declarationId: 'd2', declaredFen: '150' },
    });
    expect(errorOf(() => given(declared).when({ ...mended, declaredOn: '2026-03-31' }))).toMatchObject({
      field: 'declaredOn',
    });
    const approved = history(open(), declare(fen(100)), approve(fen(100)));
    expect(errorOf(() => given(approved).when(mended))).toMatchObject({
      currentState: 'support year 1 granted',
    });
    expect(errorOf(() => given(history(open())).when(approve(fen(1))))).toMatchObject({
      currentState: 'support year 1 awaiting',
    });
    expect(errorOf(() => given([]).when(declare(fen(1))))).toBeInstanceOf(NotFoundError);
  });

  it('records which pending declaration a new one replaces and why; a first one replaces nothing', () => {
    const first = given(history(open())).when(declare(fen(100)));
    expect(first[0]!.payload).not.toHaveProperty('replacesDeclarationId');
    expect(first[0]!.payload).not.toHaveProperty('reason');
    const mended: DeclareYear1Costs = {
      ...declare(fen(150)),
      declarationId: 'd2',
      declaredOn: '2026-04-03',
      replacesDeclarationId: 'd1',
      reason: '  fit-out invoice 7 left out ',
    };
    const events = given(history(open(), declare(fen(100)))).when(mended);
    expect(events).toEqual([
      {
        type: 'finance.year1-costs-declared',
        schemaVersion: 1,
        payload: expect.objectContaining({
          declarationId: 'd2',
          totalFen: '150',
          replacesDeclarationId: 'd1',
          reason: 'fit-out invoice 7 left out',
        }),
      },
    ]);
    const pending = stateOf([...history(open(), declare(fen(100))), ...events]).years[0]!.declaration;
    expect(pending).toMatchObject({ declarationId: 'd2', replacesDeclarationId: 'd1' });
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', ' \t\n'],
  ])('refuses a declaration replacing the pending one with its reason %s, naming reason', (_, reason) => {
    const mended = {
      ...declare(fen(150)),
      declarationId: 'd2',
      declaredOn: '2026-04-03',
      replacesDeclarationId: 'd1',
      reason,
    };
    const error = errorOf(() => given(history(open(), declare(fen(100)))).when(mended));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'reason', message: expect.stringContaining('A12.2') });
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['blank', '  '],
  ])(
    'refuses a declaration replacing the pending one without naming it (%s), naming replacesDeclarationId and the pending one',
    (_, replacesDeclarationId) => {
      const mended = {
        ...declare(fen(150)),
        declarationId: 'd2',
        declaredOn: '2026-04-03',
        replacesDeclarationId,
        reason: 'fit-out invoice 7 left out',
      };
      const error = errorOf(() => given(history(open(), declare(fen(100)))).when(mended));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({
        field: 'replacesDeclarationId',
        message: expect.stringContaining('d1 is pending'),
      });
    },
  );

  it('refuses to replace a declaration another replaced since (its reason is about that one): 409 naming the pending one', () => {
    const colleague = {
      ...declare(fen(150)),
      declarationId: 'd2',
      declaredOn: '2026-04-03',
      replacesDeclarationId: 'd1',
      reason: 'B: invoice 7 left out',
    };
    const stale = {
      ...declare(fen(120)),
      declarationId: 'd3',
      declaredOn: '2026-04-04',
      replacesDeclarationId: 'd1',
      reason: 'A: d1 amount keyed 100 for 120',
    };
    const error = errorOf(() => given(history(open(), declare(fen(100)), colleague)).when(stale));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({
      currentState: 'the pending declaration is d2',
      attemptedAction: 'replace declaration d1',
    });
    // Named as it stands now, it replaces it.
    expect(
      given(history(open(), declare(fen(100)), colleague)).when({ ...stale, replacesDeclarationId: 'd2' })[0],
    ).toMatchObject({ payload: { declarationId: 'd3', replacesDeclarationId: 'd2' } });
  });

  it('refuses a reason or a replaced declaration on a first declaration (it replaces nothing), naming it', () => {
    const error = errorOf(() => given(history(open())).when({ ...declare(fen(100)), reason: 'why' }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'reason' });
    const named = errorOf(() =>
      given(history(open())).when({ ...declare(fen(100)), replacesDeclarationId: 'd0' }),
    );
    expect(named).toBeInstanceOf(InvalidInputError);
    expect(named).toMatchObject({ field: 'replacesDeclarationId' });
  });

  it('accepts costs declared on the recognition day and approved on the declaration day', () => {
    const declared = history(open(), { ...declare(fen(100)), declaredOn: '2026-03-10' });
    const events = given(declared).when({ ...approve(fen(100)), approvedOn: '2026-03-10' });
    expect(events.map((e) => e.type)).toEqual(['finance.year1-costs-approved', 'finance.grant-decided']);
  });

  it('answers an approval of another declaration than the pending one 409, a blank id 400, and names an approval dated before the declaration', () => {
    const declared = history(open(), declare(fen(100)));
    expect(errorOf(() => given(declared).when({ ...approve(fen(100)), declarationId: 'd9' }))).toMatchObject({
      currentState: 'the pending declaration is d1',
      attemptedAction: 'approve year-1 costs d9',
    });
    expect(errorOf(() => given(declared).when({ ...approve(fen(100)), declarationId: ' ' }))).toMatchObject({
      field: 'declarationId',
    });
    expect(
      errorOf(() => given(declared).when({ ...approve(fen(100)), approvedOn: '2026-03-31' })),
    ).toMatchObject({
      field: 'approvedOn',
    });
  });
});

describe('subsidy account: a year-1 approval corrected by the bureau (A12.2)', () => {
  // Declared 1 000 000.00; the bureau meant to approve 800 000.00 and keyed 80 000.00.
  const approved = () =>
    history(open(), declare(yuan('1000000')), approve(yuan('80000'), 'keyed: costs partly not year 1'));

  it('reverses the grant standing and decides the grant again on the corrected costs', () => {
    const events = given(approved()).when(revise(yuan('800000')));
    expect(events.map((e) => e.type)).toEqual(['finance.year1-approval-revised', 'finance.grant-decided']);
    expect(events[0]!.payload).toEqual({
      centerId: 'center-1',
      declarationId: 'd1',
      revisedOn: '2026-05-20',
      declaredFen: '100000000',
      previousApprovedFen: '8000000',
      approvedFen: '80000000',
      reason: 'approved amount keyed wrongly',
      previousGrantEntryId: 'g1',
      previousGrantFen: '4000000',
      reversalEntryId: 'rev-g1',
    });
    expect(grantOf(events)).toMatchObject({
      entryId: 'g1b',
      amountFen: '40000000',
      decidedOn: '2026-05-20',
      basis: { kind: 'year1-costs', declarationId: 'd1', approvedFen: '80000000' },
      decision: { rule: 'subsidy-year1', inputs: { approvedCostsFen: '80000000' } },
    });
    const state = stateOf([...approved(), ...events]);
    const year1 = supportYearLedger(state, 1);
    expect(year1.granted.toFenText()).toBe('40000000');
    expect(state.entries.find((e) => e.entryId === 'g1')?.reversedByEntryId).toBe('rev-g1');
    expect(state.years[0]).toMatchObject({ status: 'granted', basis: { approvedFen: '80000000' } });
  });

  it('lowers a grant only down to what year 1 has already disbursed', () => {
    const paid = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      disburse(1, yuan('300000')),
    );
    const error = errorOf(() => given(paid).when(revise(yuan('500000'))));
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error.message).toBe(
      'cannot revise the year-1 approval when support year 1 has 30000000 fen disbursed, more than the revised grant of 25000000 fen (correct those disbursements first)',
    );
    expect(
      given(paid)
        .when(revise(yuan('600000')))
        .map((e) => e.type),
    ).toHaveLength(2);
  });

  it('names what it refuses: no grant yet, the same amount, more than declared, a wrong declaration, a day before the approval, no reason, a used entry id', () => {
    const declared = history(open(), declare(yuan('1000000')));
    expect(errorOf(() => given(declared).when(revise(yuan('800000'))))).toBeInstanceOf(
      IllegalTransitionError,
    );
    const cases: [Partial<ReturnType<typeof revise>>, string][] = [
      [{ approved: yuan('80000') }, 'approvedFen'],
      [{ declarationId: 'd9' }, 'declarationId'],
      [{ revisedOn: '2026-04-30' }, 'revisedOn'],
      [{ reason: ' ' }, 'reason'],
      [{ entryId: 'g1' }, 'entryId'],
      [{ entryId: 'rev-g1' }, 'entryId'],
    ];
    for (const [change, field] of cases)
      expect(errorOf(() => given(approved()).when({ ...revise(yuan('800000')), ...change }))).toMatchObject({
        field,
      });
    expect(errorOf(() => given(approved()).when({ ...revise(yuan('1000000.01')) }))).toBeInstanceOf(
      RuleViolationError,
    );
  });

  it('is refused once support has stopped, and can be revised again', () => {
    const stopped = [...approved(), ...given(approved()).when(revoke('2026-05-10'))];
    expect(errorOf(() => given(stopped).when(revise(yuan('800000'))))).toBeInstanceOf(IllegalTransitionError);
    const once = [...approved(), ...given(approved()).when(revise(yuan('800000')))];
    const twice = given(once).when({ ...revise(yuan('900000')), reversalEntryId: 'rev-g1b', entryId: 'g1c' });
    expect(twice[0]!.payload).toMatchObject({ previousGrantEntryId: 'g1b', previousApprovedFen: '80000000' });
    expect(supportYearLedger(stateOf([...once, ...twice]), 1).granted.toFenText()).toBe('45000000');
  });
});

describe('subsidy account: years 2 and 3 from the previous year’s grade (A12.3)', () => {
  const year1 = () => history(open(), declare(yuan('1000000')), approve(yuan('1000000')));

  it('grants base × 75 % in year 2 to a center graded 良好 for year 1, under the default policy', () => {
    const grant = grantOf(given(year1()).when(assessed(1, '良好')));
    expect(grant).toMatchObject({
      supportYear: 2,
      calendarYear: 2027,
      amountFen: '75000000',
      policyVersion: 'policy-2026.1',
      basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '良好' },
    });
    expect(grant.decision).toMatchObject({
      rule: 'subsidy-annual',
      inputs: { supportYear: 2, previousYearGrade: '良好', revoked: false },
      outcome: { amountFen: '75000000', granted: true },
    });
  });

  it('grants 0 for 不合格 and says so', () => {
    const grant = grantOf(given(year1()).when(assessed(1, '不合格')));
    expect(grant.amountFen).toBe('0');
    expect(grant.decision.outcome).toEqual({ amountFen: '0', granted: false });
    expect(grant.decision.reasons).toContainEqual(
      expect.objectContaining({
        ruleId: 'A17.2',
        criterion: 'gradeRatio',
        measured: '不合格',
        passed: false,
      }),
    );
  });

  it('grants year 3 from the year-2 grade with the policy version in force on the decision date', () => {
    const events = history(...[open(), assessed(1, '优秀')]);
    const grant = grantOf(given(events).when(assessed(2, '合格', newerPolicy)));
    expect(grant).toMatchObject({
      supportYear: 3,
      calendarYear: 2028,
      amountFen: '100000000',
      policyVersion: 'policy-2027.1',
    });
  });

  it('grants once when the same assessment is delivered twice', () => {
    const granted = history(open(), assessed(1, '良好'));
    expect(given(granted).when(assessed(1, '良好'))).toEqual([]);
  });

  it('refuses to grant a year again on a different assessment', () => {
    const granted = history(open(), assessed(1, '良好'));
    expect(errorOf(() => given(granted).when(assessed(1, '优秀')))).toMatchObject({
      currentState: 'support year 2 granted',
    });
  });

  it('grants nothing after year 3', () => {
    expect(given(history(open())).when(assessed(3, '优秀'))).toEqual([]);
  });

  it.each([
    ['grade', { grade: 'A' }],
    ['supportYear', { assessedSupportYear: 0 }],
    ['year', { assessedYear: 2030 }],
    ['decidedOn', { decidedOn: 'soon' }],
  ])('names the bad field %s of an assessment', (field, patch) => {
    expect(
      errorOf(() => given(history(open())).when({ ...assessed(1, '良好'), ...patch } as never)),
    ).toMatchObject({
      field,
    });
  });

  it('refuses an assessment for a center without an account', () => {
    expect(errorOf(() => given([]).when(assessed(1, '良好')))).toBeInstanceOf(NotFoundError);
  });

  it('refuses a policy not in force on the decision date', () => {
    const late = { ...assessed(1, '良好'), policy: newerPolicy, decidedOn: '2026-12-31' };
    expect(errorOf(() => given(history(open())).when(late))).toMatchObject({ field: 'policy' });
  });

  it('grants under a new policy on the day it takes effect (A12.3, in force from its first day)', () => {
    const onItsDay = { ...assessed(1, '良好', newerPolicy), decidedOn: '2027-01-01' };
    expect(grantOf(given(history(open())).when(onItsDay))).toMatchObject({
      supportYear: 2,
      amountFen: '150000000',
      policyVersion: 'policy-2027.1',
    });
  });
});

describe('subsidy account: revocation stops support (A16, A17.3)', () => {
  it('during year 2 cancels the undisbursed rest of year 2 and year 3', () => {
    const events = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      disburse(1, yuan('500000')),
      assessed(1, '良好'),
      { ...disburse(2, yuan('300000')), disbursedOn: '2027-04-01', recordedOn: '2027-04-01' },
    );
    const stopped = given(events).when(revoke());
    expect(stopped.map((e) => e.type)).toEqual([
      'finance.support-stopped',
      'finance.grant-cancelled',
      'finance.grant-cancelled',
    ]);
    expect(stopped[0]!.payload).toEqual({
      centerId: 'center-1',
      revokedOn: '2027-06-01',
      rule: 'A16',
      reason: 'premises reduced below 5000 m²',
      paidAfterRevocation: [],
    });
    expect(stopped.slice(1).map((e) => e.payload)).toEqual([
      {
        centerId: 'center-1',
        supportYear: 2,
        was: 'undisbursed-grant',
        cancelledFen: '45000000',
        revokedOn: '2027-06-01',
        rule: 'A16',
      },
      {
        centerId: 'center-1',
        supportYear: 3,
        was: 'awaiting-grant',
        cancelledFen: '0',
        revokedOn: '2027-06-01',
        rule: 'A16',
      },
    ]);
    const after = [...events, ...stopped];
    expect(given(after).when(assessed(2, '优秀'))).toEqual([]);
    const state = stateOf(after);
    expect(state.years.map((y) => y.status)).toEqual(['granted', 'cancelled', 'cancelled']);
    expect(supportYearLedger(state, 2)).toMatchObject({ undisbursed: fen(0), disbursed: yuan('300000') });
  });

  it('names the standing disbursements dated after the revocation day: support paid after it, to recover', () => {
    const paid = history(
      open(),
      declare(yuan('1000000')),
      approve(yuan('1000000')),
      { ...disburse(1, yuan('100000'), 'before'), disbursedOn: '2026-07-31', recordedOn: '2026-07-31' },
      { ...disburse(1, yuan('100000'), 'on-the-day'), disbursedOn: '2026-08-01', recordedOn: '2026-08-01' },
      { ...disburse(1, yuan('50000'), 'after'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' },
      {
        ...disburse(1, yuan('20000'), 'after-reversed'),
        disbursedOn: '2026-08-04',
        recordedOn: '2026-08-04',
      },
      {
        kind: 'correct-entry',
        reversalEntryId: 'rev-1',
        reversesEntryId: 'after-reversed',
        reason: 'paid back',
        correctedOn: '2026-08-05',
        policy: defaultPolicy,
      },
    );
    const stopped = given(paid).when(revoke('2026-08-01'));
    expect(stopped[0]!.payload).toMatchObject({
      revokedOn: '2026-08-01',
      paidAfterRevocation: [
        { entryId: 'after', supportYear: 1, amountFen: '5000000', disbursedOn: '2026-08-03' },
      ],
    });
    const state = stateOf([...paid, ...stopped]);
    expect(paidAfterRevocation(state).map((e) => e.entryId)).toEqual(['after']);
    const repaid = given([...paid, ...stopped]).when({
      kind: 'correct-entry',
      reversalEntryId: 'rev-2',
      reversesEntryId: 'after',
      reason: 'paid back',
      correctedOn: '2026-08-20',
      policy: defaultPolicy,
    });
    expect(paidAfterRevocation(stateOf([...paid, ...stopped, ...repaid]))).toEqual([]);
  });

  it('cancels a pending year-1 declaration', () => {
    const stopped = given(history(open(), declare(fen(100)))).when(revoke('2026-06-01'));
    expect(stopped[1]!.payload).toMatchObject({
      supportYear: 1,
      was: 'pending-declaration',
      cancelledFen: '0',
    });
  });

  it('allows no grant, declaration or disbursement paid after it, and ignores a repeated revocation', () => {
    const revoked = history(open(), assessed(1, '合格'), revoke());
    expect(given(revoked).when(revoke())).toEqual([]);
    const paidAfter = { ...disburse(2, fen(1)), disbursedOn: '2027-06-02', recordedOn: '2027-06-02' };
    expect(errorOf(() => given(revoked).when(paidAfter))).toMatchObject({
      rule: 'A16',
      details: { field: 'disbursedOn', revokedOn: '2027-06-01' },
    });
    expect(errorOf(() => given(revoked).when(declare(fen(1))))).toMatchObject({
      currentState: 'support stopped (recognition revoked)',
    });
  });

  it('names bad fields and refuses an unknown account', () => {
    expect(errorOf(() => given(history(open())).when({ ...revoke(), reason: '' } as never))).toMatchObject({
      field: 'reason',
    });
    expect(errorOf(() => given([]).when(revoke()))).toBeInstanceOf(NotFoundError);
  });
});
