import { decideExpenditure, withinSupportYear } from './expenditure';
import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy } from './policy/policy-registry';
import { validatePolicy } from './policy/validate-policy';
import { DEFAULT_POLICY } from './policy/default-policy';

/** Support year 1 of a center recognised in 2026, spent in May, decided in June. */
const window = { spentOn: '2026-05-10', supportYear: 1, calendarYear: 2026, decidedOn: '2026-06-01' };

const spend = (category: string, amountFen = '100', more: Record<string, unknown> = {}) => ({
  category,
  amountFen,
  disbursedFen: '1000',
  spentFen: '400',
  ...window,
  ...more,
});

describe('expenditure acceptance (A13)', () => {
  const decide = (input: unknown, policy = defaultPolicy) => decideExpenditure(input, policy);

  it.each([
    ['rent by code', spend('rent'), true, []],
    ['rent by Chinese name', spend('房租费'), true, []],
    ['12: sponsorship 赞助', spend('赞助'), false, ['A13:forbiddenUse']],
    ['fine 罚款', spend('罚款'), false, ['A13:forbiddenUse']],
    ['donation', spend('donation'), false, ['A13:forbiddenUse']],
    ['investment 投资', spend('投资'), false, ['A13:forbiddenUse']],
    ['an unknown category', spend('招待费'), false, ['A13:category']],
    ['exactly the balance', spend('energy', '600'), true, []],
    ['one fen above the balance', spend('energy', '601'), false, ['A13:withinBalance']],
    [
      'forbidden and above the balance',
      spend('赞助', '601'),
      false,
      ['A13:forbiddenUse', 'A13:withinBalance'],
    ],
    ['without earlier spending', spend('energy', '1000', { spentFen: undefined }), true, []],
    // A balance spent to the last fen is a decision (nothing left to spend), not bad input.
    ['a fully spent balance', spend('energy', '1', { spentFen: '1000' }), false, ['A13:withinBalance']],
  ])('case %s', (_name, input, accepted, rejectedFor) => {
    expect(decide(input).outcome).toEqual({ accepted, rejectedFor });
  });

  describe('the support year whose funds pay it (A12.1, A13:withinSupportYear, rules-2026.8)', () => {
    it.each([
      ['on 1 January of its calendar year', { spentOn: '2026-01-01' }, true, []],
      ['on the decision day', { spentOn: '2026-06-01' }, true, []],
      [
        'on 31 December, decided in the next year',
        { spentOn: '2026-12-31', decidedOn: '2027-01-20' },
        true,
        [],
      ],
      [
        'in the next calendar year',
        { spentOn: '2027-01-02', decidedOn: '2027-01-20' },
        false,
        ['A13:withinSupportYear'],
      ],
      ['in the calendar year before', { spentOn: '2025-12-31' }, false, ['A13:withinSupportYear']],
      ['after the decision day', { spentOn: '2026-06-02' }, false, ['A13:withinSupportYear']],
    ])('spent %s', (_name, more, accepted, rejectedFor) => {
      expect(decide(spend('rent', '100', more)).outcome).toEqual({ accepted, rejectedFor });
    });

    it('rejects year 1 money on the next year’s spending, naming the window, with the other reasons', () => {
      const d = decide(spend('赞助', '100', { spentOn: '2027-03-01', decidedOn: '2027-03-05' }));
      expect(d.outcome).toEqual({
        accepted: false,
        rejectedFor: ['A13:forbiddenUse', 'A13:withinSupportYear'],
      });
      expect(d.inputs).toMatchObject({
        spentOn: '2027-03-01',
        supportYear: 1,
        calendarYear: 2026,
        decidedOn: '2027-03-05',
      });
      expect(d.reasons.at(-1)).toEqual({
        ruleId: 'A13',
        criterion: 'withinSupportYear',
        measured: '2027-03-01',
        threshold: '2026-01-01..2026-12-31',
        passed: false,
        message: {
          zh: '支出日期2027-03-01不在第1个支持年度（2026年，2026-01-01至2026-12-31）内：该年度的资金只用于该年度的支出（第十二条、第十三条）',
          en: "spent on 2027-03-01, outside support year 1 (calendar year 2026, 2026-01-01 to 2026-12-31): a year's funds pay for that year's spending (A12.1, A13)",
        },
      });
    });

    it('says a spending after the decision day did not take place yet, the window ending that day', () => {
      const reason = decide(spend('rent', '100', { spentOn: '2026-06-02' })).reasons.at(-1)!;
      expect(reason).toMatchObject({ threshold: '2026-01-01..2026-06-01', passed: false });
      expect(reason.message.en).toBe(
        'spent on 2026-06-02, after the decision day 2026-06-01: only spending that took place is recorded',
      );
    });

    it('is the one window check: what the decision reasons, a correction of finance refuses on', () => {
      const late = { spentOn: '2026-06-02', supportYear: 1, calendarYear: 2026, decidedOn: '2026-06-01' };
      expect(withinSupportYear(late)).toEqual(
        decide(spend('rent', '100', { spentOn: '2026-06-02' })).reasons.at(-1),
      );
      expect(withinSupportYear({ ...late, spentOn: '2026-05-31' }).passed).toBe(true);
    });

    it('decides as rules-2026.7 did, without the window and its inputs, for decisions recorded under it', () => {
      const old = decideExpenditure(
        spend('rent', '100', { spentOn: '2027-03-01' }),
        defaultPolicy,
        'rules-2026.7',
      );
      expect(old.outcome).toEqual({ accepted: true, rejectedFor: [] });
      expect(old.inputs).toEqual({
        category: 'rent',
        amountFen: '100',
        disbursedFen: '1000',
        spentFen: '400',
      });
      expect(old.reasons.map((r) => r.criterion)).toEqual(['category', 'withinBalance']);
    });

    it.each([
      [{ spentOn: undefined }, 'spentOn'],
      [{ spentOn: '2026-02-30' }, 'spentOn'],
      [{ decidedOn: '2026/06/01' }, 'decidedOn'],
      [{ supportYear: 0 }, 'supportYear'],
      [{ calendarYear: 26 }, 'calendarYear'],
      [{ calendarYear: undefined }, 'calendarYear'],
    ])('names a missing or malformed window input (%o)', (more, field) => {
      expect(inputErrorField(() => decide(spend('rent', '100', more)))).toBe(field);
    });
  });

  it('names the forbidden use and its rule', () => {
    const d = decide(spend('赞助'));
    expect(d.inputs.category).toBe('sponsorship');
    expect(d.reasons[0].message).toEqual({
      zh: '专项资金不得用于赞助（第十三条）',
      en: 'special funds may not be used for sponsorship (赞助), A13',
    });
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])(
    'rejects %s as an unknown category, not as a forbidden use named by a prototype member',
    (category) => {
      const d = decide(spend(category));
      expect(d.outcome).toEqual({ accepted: false, rejectedFor: ['A13:category'] });
      expect(d.inputs.category).toBe(category);
      expect(d.reasons[0]!.message).toEqual({
        zh: `${category}不在专项资金使用范围内`,
        en: `${category} is not an allowed use of the special funds`,
      });
      expect(JSON.stringify(d)).not.toMatch(/native code|\[object Object\]/);
    },
  );

  it('keeps the rules-2026.1 reading of such a category, for replaying decisions recorded under it', () => {
    const d = decideExpenditure(spend('toString'), defaultPolicy, 'rules-2026.1');
    expect(d.rulesetVersion).toBe('rules-2026.1');
    expect(d.outcome.rejectedFor).toEqual(['A13:forbiddenUse']);
    expect(d.reasons[0]!.message.zh).toContain('function toString() { [native code] }');
    expect(decideExpenditure(spend('赞助'), defaultPolicy, 'rules-2026.1').outcome).toEqual(
      decide(spend('赞助')).outcome,
    );
  });

  it('rejects a category the regulation allows but the policy has narrowed away', () => {
    const narrow = validatePolicy({
      ...DEFAULT_POLICY,
      version: 'narrow',
      allowedExpenditureCategories: ['rent'],
    });
    expect(decide(spend('energy'), narrow).outcome.rejectedFor).toEqual(['A13:category']);
  });

  it.each([
    [spend('rent', '0'), 'amountFen'],
    [spend('rent', '-5'), 'amountFen'],
    [spend('rent', '100', { spentFen: '1001' }), 'spentFen'],
    [spend('', '100'), 'category'],
    [spend('rent', '100', { disbursedFen: 1.5 }), 'disbursedFen'],
  ])('rejects invalid input naming the field', (input, field) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });
});
