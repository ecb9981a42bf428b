import { codeOf, EXPENDITURE_CATEGORIES, FORBIDDEN_EXPENDITURES } from './catalogue';
import { Decision, makeDecision, Reason, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { FenText, fenText, formatYuan, readFen } from './values/fen';
import { readObject, readString } from './values/read';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

export interface ExpenditureInputs {
  category: string;
  amountFen: FenText;
  disbursedFen: FenText;
  spentFen: FenText;
}

export interface ExpenditureOutcome {
  accepted: boolean;
  rejectedFor: string[];
}

export function readExpenditure(raw: unknown): ExpenditureInputs {
  const o = readObject(raw, 'input', 'A13');
  const text = readString(o.category, 'category', 'A13');
  const category =
    (codeOf(EXPENDITURE_CATEGORIES, text) as string | undefined) ??
    (codeOf(FORBIDDEN_EXPENDITURES, text) as string | undefined) ??
    text;
  const amount = readFen(o.amountFen, 'amountFen', 'A13');
  if (amount === 0n) throw new RuleInputError('amountFen', 'an expenditure must be above 0 fen', 'A13');
  const disbursed = readFen(o.disbursedFen, 'disbursedFen', 'A13');
  const spent = o.spentFen === undefined ? 0n : readFen(o.spentFen, 'spentFen', 'A13');
  if (spent > disbursed)
    throw new RuleInputError('spentFen', `${spent} fen spent exceeds ${disbursed} fen disbursed`, 'A13');
  return { category, amountFen: fenText(amount), disbursedFen: fenText(disbursed), spentFen: fenText(spent) };
}

/**
 * A13: an allowed category, never a forbidden one, and never more than the disbursed balance.
 * `ruleset` is for replay only: a decision recorded under an older rule-set is re-run with its code.
 */
export function decideExpenditure(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<ExpenditureInputs, ExpenditureOutcome> {
  const inputs = readExpenditure(raw);
  const reasons = [categoryReason(inputs.category, policy, ruleset), balanceReason(inputs)];
  const rejectedFor = reasons.filter((r) => !r.passed).map((r) => `${r.ruleId}:${r.criterion}`);
  return makeDecision({
    rule: 'expenditure',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs,
    outcome: { accepted: rejectedFor.length === 0, rejectedFor },
    reasons,
  });
}

/**
 * The category as a key of a catalogue table: own keys only, so 'toString' or 'constructor' is no entry.
 * rules-2026.1 looked keys up with `in` and plain indexing, which also found Object.prototype's members;
 * it is kept only to replay decisions recorded under it.
 */
function entryOf(table: Record<string, string>, key: string, ruleset: RulesetVersion): string | undefined {
  if (rulesetBefore(ruleset, 'rules-2026.2')) return key in table ? String(table[key]) : undefined;
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function categoryReason(category: string, policy: Policy, ruleset: RulesetVersion): Reason {
  const allowed = policy.allowedExpenditureCategories;
  const forbidden = entryOf(FORBIDDEN_EXPENDITURES, category, ruleset);
  if (forbidden !== undefined) {
    const zh = forbidden;
    return reason(
      'A13',
      'forbiddenUse',
      category,
      'not 罚款/捐款/赞助/投资',
      false,
      `专项资金不得用于${zh}（第十三条）`,
      `special funds may not be used for ${category} (${zh}), A13`,
    );
  }
  const passed = allowed.includes(category);
  const zh = entryOf(EXPENDITURE_CATEGORIES, category, ruleset) ?? category;
  return reason(
    'A13',
    'category',
    category,
    allowed,
    passed,
    passed ? `${zh}属于专项资金使用范围` : `${zh}不在专项资金使用范围内`,
    passed ? `${category} is an allowed use` : `${category} is not an allowed use of the special funds`,
  );
}

function balanceReason(inputs: ExpenditureInputs): Reason {
  const balance = BigInt(inputs.disbursedFen) - BigInt(inputs.spentFen);
  const amount = BigInt(inputs.amountFen);
  const passed = amount <= balance;
  return reason(
    'A13',
    'withinBalance',
    inputs.amountFen,
    `<= ${fenText(balance)}`,
    passed,
    `支出${formatYuan(amount)}，已拨付余额${formatYuan(balance)}，${passed ? '未超出' : '超出'}余额`,
    `spending ${formatYuan(amount)} ${passed ? 'is within' : 'exceeds'} the disbursed balance ${formatYuan(balance)}`,
  );
}
