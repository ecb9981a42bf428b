import { codeOf, EXPENDITURE_CATEGORIES, FORBIDDEN_EXPENDITURES } from './catalogue';
import { Decision, makeDecision, Reason, reason } from './decision';
import { RuleInputError } from './errors';
import { Policy } from './policy/policy';
import { FenText, fenText, formatYuan, readFen } from './values/fen';
import { LocalDate, readLocalDate } from './values/local-date';
import { readCount, readObject, readString } from './values/read';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

export interface ExpenditureInputs {
  category: string;
  amountFen: FenText;
  disbursedFen: FenText;
  spentFen: FenText;
  /**
   * From rules-2026.8 (absent from decisions recorded before): the day of the spending, the support year
   * whose funds pay it and that year's calendar year (A12.1: recognition year + n − 1), and the decision day.
   */
  spentOn?: LocalDate;
  supportYear?: number;
  calendarYear?: number;
  decidedOn?: LocalDate;
}

export interface ExpenditureOutcome {
  accepted: boolean;
  rejectedFor: string[];
}

/** Under a rule-set before rules-2026.8, the support-year window is not read (it was checked outside the rule). */
export function readExpenditure(raw: unknown, ruleset: RulesetVersion = RULESET_VERSION): ExpenditureInputs {
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
  const figures = {
    category,
    amountFen: fenText(amount),
    disbursedFen: fenText(disbursed),
    spentFen: fenText(spent),
  };
  if (rulesetBefore(ruleset, 'rules-2026.8')) return figures;
  return { ...figures, ...readWindow(o) };
}

function readWindow(o: Record<string, unknown>) {
  const spentOn = readLocalDate(o.spentOn, 'spentOn', 'A13');
  const supportYear = readCount(o.supportYear, 'supportYear', 'A12.1');
  if (supportYear < 1) throw new RuleInputError('supportYear', 'expected a support year from 1', 'A12.1');
  const calendarYear = readCount(o.calendarYear, 'calendarYear', 'A12.1');
  if (calendarYear < 2000 || calendarYear > 2100)
    throw new RuleInputError(
      'calendarYear',
      `expected a year from 2000 to 2100, got ${calendarYear}`,
      'A12.1',
    );
  return { spentOn, supportYear, calendarYear, decidedOn: readLocalDate(o.decidedOn, 'decidedOn', 'A13') };
}

/**
 * A13: an allowed category, never a forbidden one, never more than the disbursed balance, and (from
 * rules-2026.8) spending of the support year whose funds pay it that took place by the decision day.
 * `ruleset` is for replay only: a decision recorded under an older rule-set is re-run with its code.
 */
export function decideExpenditure(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<ExpenditureInputs, ExpenditureOutcome> {
  const inputs = readExpenditure(raw, ruleset);
  const reasons = [categoryReason(inputs.category, policy, ruleset), balanceReason(inputs)];
  if (!rulesetBefore(ruleset, 'rules-2026.8'))
    reasons.push(withinSupportYear(inputs as Required<ExpenditureInputs>));
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

/** What A13:withinSupportYear reads: the spending's day, the support year paying it and its calendar year. */
export interface SupportYearWindow {
  spentOn: LocalDate;
  supportYear: number;
  calendarYear: number;
  decidedOn: LocalDate;
}

/**
 * A13 with A12.1: support year n's funds pay for spending of that year — calendar year (recognition year +
 * n − 1), 1 January to 31 December — that took place: on or before the decision day. One year's unspent
 * balance does not pay the next year's spending. The one check of that window: a decision reasons with it,
 * and finance refuses a correction's replacement on it (a correction records nothing refused).
 */
export function withinSupportYear(window: SupportYearWindow): Reason {
  const { spentOn, supportYear, calendarYear, decidedOn } = window;
  const from = `${calendarYear}-01-01`;
  const to = `${calendarYear}-12-31`;
  const last = decidedOn < to ? decidedOn : to;
  const inYear = spentOn >= from && spentOn <= to;
  const passed = inYear && spentOn <= decidedOn;
  const year = `第${supportYear}个支持年度（${calendarYear}年，${from}至${to}）`;
  const message = (): [string, string] => {
    if (!inYear)
      return [
        `支出日期${spentOn}不在${year}内：该年度的资金只用于该年度的支出（第十二条、第十三条）`,
        `spent on ${spentOn}, outside support year ${supportYear} (calendar year ${calendarYear}, ${from} to ${to}): a year's funds pay for that year's spending (A12.1, A13)`,
      ];
    if (!passed)
      return [
        `支出日期${spentOn}晚于决定日${decidedOn}：只记录已发生的支出`,
        `spent on ${spentOn}, after the decision day ${decidedOn}: only spending that took place is recorded`,
      ];
    return [
      `支出日期${spentOn}在${year}内`,
      `spent on ${spentOn}, within support year ${supportYear} (calendar year ${calendarYear})`,
    ];
  };
  const [zh, en] = message();
  return reason('A13', 'withinSupportYear', spentOn, `${from}..${last}`, passed, zh, en);
}
