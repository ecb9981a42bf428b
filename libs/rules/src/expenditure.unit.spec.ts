import { decideExpenditure } from './expenditure';
import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy } from './policy/policy-registry';
import { validatePolicy } from './policy/validate-policy';
import { DEFAULT_POLICY } from './policy/default-policy';

const spend = (category: string, amountFen = '100', more: Record<string, unknown> = {}) => ({
  category,
  amountFen,
  disbursedFen: '1000',
  spentFen: '400',
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
  ])('case %s', (_name, input, accepted, rejectedFor) => {
    expect(decide(input).outcome).toEqual({ accepted, rejectedFor });
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
