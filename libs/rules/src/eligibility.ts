import { FUNCTION_ALIASES, FUNCTIONS, SERVICES } from './catalogue';
import { isValidCreditCode } from './credit-code';
import { Decision, makeDecision, Reason, reason } from './decision';
import { EligibilityFacts, readEligibilityFacts } from './eligibility-facts';
import { countInstitutions, InstitutionCount, normaliseInstitutionName } from './institutions';
import { Policy } from './policy/policy';
import { formatFraction, formatPercent, formatPercentBelow, fractionAtLeast } from './values/fraction';
import { readHundredths } from './values/hundredths';
import { addDays, addYears } from './values/local-date';
import { RULESET_VERSION, rulesetBefore, RulesetVersion } from './version';

export interface EligibilityOutcome {
  eligible: boolean;
  /** The criteria that failed, as 'ruleId:criterion' (every one, not only the first). */
  failed: string[];
  institutions: InstitutionCount;
}

/**
 * Art. 6 on the given facts: every criterion checked and reported. `ruleset` is for replay only: a
 * decision recorded under an older rule-set is re-run with its code.
 */
export function checkEligibility(
  facts: EligibilityFacts,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): { reasons: Reason[]; outcome: EligibilityOutcome } {
  const institutions = countInstitutions(facts.institutions, ruleset);
  const reasons = [
    area(facts, policy),
    named('services', facts.services, policy.requiredServices, SERVICES, '转移转化服务', 'transfer services'),
    named(
      'functions',
      rulesetBefore(ruleset, 'rules-2026.5')
        ? facts.functions
        : facts.functions.map((f) => (Object.hasOwn(FUNCTION_ALIASES, f) ? FUNCTION_ALIASES[f]! : f)),
      policy.requiredFunctions,
      FUNCTIONS,
      '功能',
      'functions',
    ),
    institutionReason(institutions, policy),
    cooperation(facts, policy, ruleset),
    operator(facts),
    staff(facts, policy),
    brokerShare(facts, policy, ruleset),
    activities(facts, policy),
    ...(rulesetBefore(ruleset, 'rules-2026.3') ? [] : activityPeriod(facts)),
  ];
  const failed = reasons.filter((r) => !r.passed).map((r) => `${r.ruleId}:${r.criterion}`);
  return { reasons, outcome: { eligible: failed.length === 0, failed, institutions } };
}

export function decideEligibility(
  raw: unknown,
  policy: Policy,
  ruleset: RulesetVersion = RULESET_VERSION,
): Decision<EligibilityFacts, EligibilityOutcome> {
  const inputs = readEligibilityFacts(raw);
  const { reasons, outcome } = checkEligibility(inputs, policy, ruleset);
  return makeDecision({
    rule: 'eligibility',
    rulesetVersion: ruleset,
    policyVersion: policy.version,
    inputs,
    outcome,
    reasons,
  });
}

function area(facts: EligibilityFacts, policy: Policy): Reason {
  const measured = facts.premises.buildingAreaM2;
  const passed = readHundredths(measured, 'area') >= readHundredths(policy.minAreaM2, 'minAreaM2');
  return reason(
    'A6.1',
    'buildingArea',
    measured,
    `>= ${policy.minAreaM2}`,
    passed,
    `固定场所总建筑面积${measured}平方米，${passed ? '达到' : '未达到'}${policy.minAreaM2}平方米以上`,
    `Building area ${measured} m² ${passed ? 'meets' : 'is below'} the minimum of ${policy.minAreaM2} m²`,
  );
}

function named(
  criterion: 'services' | 'functions',
  offered: string[],
  required: string[],
  terms: Record<string, string>,
  zhWhat: string,
  enWhat: string,
): Reason {
  const missing = required.filter((code) => !offered.includes(code));
  const passed = missing.length === 0;
  const zhMissing = missing.map((c) => terms[c] ?? c).join('、');
  return reason(
    'A6.2',
    criterion,
    required.filter((code) => offered.includes(code)),
    required,
    passed,
    passed ? `具备全部规定的${zhWhat}` : `缺少${zhWhat}：${zhMissing}`,
    passed ? `Offers all required ${enWhat}` : `Missing ${enWhat}: ${missing.join(', ')}`,
  );
}

function institutionReason(count: InstitutionCount, policy: Policy): Reason {
  const passed = count.distinct >= policy.minInstitutions;
  const notes: string[] = [];
  if (count.duplicates.length) notes.push(`duplicates not counted: ${count.duplicates.join(', ')}`);
  if (count.notCounted.length) notes.push(`kinds not counted: ${count.notCounted.join(', ')}`);
  return reason(
    'A6.3',
    'institutions',
    count.distinct,
    `>= ${policy.minInstitutions}`,
    passed,
    `集聚高校、院所、企业、科技服务机构${count.distinct}家（不重复计算），${passed ? '不少于' : '少于'}${policy.minInstitutions}家`,
    `${count.distinct} distinct institutions of the counted kinds, ${passed ? 'at least' : 'fewer than'} ${policy.minInstitutions}` +
      (notes.length ? ` (${notes.join('; ')})` : ''),
  );
}

/** From rules-2026.4 one cooperation per partner: the same partner listed twice, at any level, counts once. */
function cooperation(facts: EligibilityFacts, policy: Policy, ruleset: RulesetVersion): Reason {
  const listed = facts.strategicCooperations;
  const n = rulesetBefore(ruleset, 'rules-2026.4')
    ? listed.length
    : new Set(listed.map((c) => normaliseInstitutionName(c.partner))).size;
  const passed = n >= policy.minStrategicCooperations;
  return reason(
    'A6.3',
    'strategicCooperation',
    n,
    `>= ${policy.minStrategicCooperations}`,
    passed,
    `与国家部委、省、市、区开展新质生产力发展战略合作${n}项，${passed ? '符合' : '不符合'}要求（至少${policy.minStrategicCooperations}项）`,
    `${n} strategic cooperation(s) with a ministry, the province, the city or a district; at least ${policy.minStrategicCooperations} required`,
  );
}

function operator(facts: EligibilityFacts): Reason {
  const { name, creditCode } = facts.operator;
  const codeOk = creditCode !== undefined && isValidCreditCode(creditCode);
  const passed = name !== undefined && codeOk;
  const problem = !name
    ? ['未明确运营主体', 'no operating entity named']
    : !creditCode
      ? ['运营主体缺少统一社会信用代码', 'the operating entity has no unified social credit code']
      : !codeOk
        ? [
            '运营主体统一社会信用代码无效',
            `the operating entity's unified social credit code ${creditCode} is invalid`,
          ]
        : ['有明确的运营主体', `operating entity ${name} (${creditCode})`];
  return reason(
    'A6.4',
    'operator',
    creditCode ?? null,
    'named operating entity with a valid unified social credit code',
    passed,
    problem[0],
    problem[1],
  );
}

function staff(facts: EligibilityFacts, policy: Policy): Reason {
  const n = facts.team.staffInPost;
  const passed = n >= policy.minStaff;
  return reason(
    'A6.4',
    'staffInPost',
    n,
    `>= ${policy.minStaff}`,
    passed,
    `在岗人员${n}人，${passed ? '不少于' : '少于'}${policy.minStaff}人`,
    `Staff in post ${n} ${passed ? '>=' : '<'} ${policy.minStaff}`,
  );
}

/** Intermediate and senior brokers count; junior ones do not. Compared as brokers × den >= num × staff. */
function brokerShare(facts: EligibilityFacts, policy: Policy, ruleset: RulesetVersion): Reason {
  const { staffInPost, brokers } = facts.team;
  const qualified = brokers.intermediate + brokers.senior;
  const share = { num: qualified, den: staffInPost };
  const passed = staffInPost > 0 && fractionAtLeast(share, policy.minBrokerShare);
  const shown =
    passed || rulesetBefore(ruleset, 'rules-2026.7')
      ? formatPercent(share)
      : formatPercentBelow(share, policy.minBrokerShare);
  const measured = `${qualified}/${staffInPost} = ${shown}`;
  const threshold = `>= ${formatFraction(policy.minBrokerShare)} = ${formatPercent(policy.minBrokerShare)}`;
  return reason(
    'A6.4',
    'brokerShare',
    measured,
    threshold,
    passed,
    `中级及以上技术经纪人${qualified}人，占在岗人员${measured}，${passed ? '达到' : '未达到'}${formatPercent(policy.minBrokerShare)}以上`,
    `broker share ${measured} ${passed ? '>=' : '<'} ${formatPercent(policy.minBrokerShare)} (intermediate or senior brokers; ${brokers.junior} junior not counted)`,
  );
}

function activities(facts: EligibilityFacts, policy: Policy): Reason {
  const n = facts.activities.count;
  const passed = n >= policy.minActivitiesPerYear;
  return reason(
    'A6.5',
    'activities',
    n,
    `>= ${policy.minActivitiesPerYear}`,
    passed,
    `年开展路演、合作对接、参观考察等活动${n}场，${passed ? '不少于' : '少于'}${policy.minActivitiesPerYear}场`,
    `${n} activities a year, ${passed ? 'at least' : 'fewer than'} ${policy.minActivitiesPerYear}`,
  );
}

/**
 * A6.5 "每年…不少于100场": the count is of one year, so a declared period runs forwards and lasts at most 12
 * months — periodTo before periodFrom + 1 year (2025-03-01..2026-02-28, not ..2026-03-01). Checked only
 * where both ends are declared; whether it is the 12 months before submission is intake's check.
 */
function activityPeriod(facts: EligibilityFacts): Reason[] {
  const { periodFrom: from, periodTo: to } = facts.activities;
  if (from === undefined || to === undefined) return [];
  const lastDay = addDays(addYears(from, 1), -1);
  const forwards = from <= to;
  const passed = forwards && to <= lastDay;
  const [zh, en] = !forwards
    ? ['活动统计期间的结束日早于开始日', 'the activity period ends before it starts']
    : passed
      ? ['活动统计期间不超过一年', 'the activity period lasts at most a year']
      : [
          `活动统计期间超过一年（最迟应于${lastDay}结束）`,
          `the activity period is longer than a year (it must end by ${lastDay})`,
        ];
  return [
    reason(
      'A6.5',
      'activityPeriod',
      `${from}..${to}`,
      `${from}..${lastDay}`,
      passed,
      `活动统计期间${from}至${to}：${zh}`,
      `activities counted ${from}..${to}: ${en}`,
    ),
  ];
}
