import { EXPENDITURE_CATEGORIES, FUNCTIONS, Grade, GRADES, MATERIAL_KINDS, SERVICES } from '../catalogue';
import { formatFraction, Fraction, fractionAtLeast } from '../values/fraction';
import { readHundredths } from '../values/hundredths';
import { isLocalDate, show } from '../values/local-date';
import { Policy } from './policy';
import { PolicyValidationError, validatePolicy } from './validate-policy';

/** One policy field as the measures bind it: the article, its words, and what a new version may hold. */
export interface MeasureLimit {
  field: string;
  ruleId: string;
  text: string;
  /** What the policy's value does wrong, or undefined when it keeps to the text. */
  problem: (policy: Policy) => string | undefined;
}

/** The policy fields that hold a whole number. */
type CountField = { [K in keyof Policy]-?: Policy[K] extends number ? K : never }[keyof Policy];

const atLeast = (field: CountField, ruleId: string, text: string, min: number): MeasureLimit => ({
  field,
  ruleId,
  text,
  problem: (p) =>
    p[field] >= min
      ? undefined
      : `must be at least ${min} (a policy may raise it, never lower it), got ${p[field]}`,
});

const exactly = (field: CountField, ruleId: string, text: string, value: number): MeasureLimit => ({
  field,
  ruleId,
  text,
  problem: (p) => (p[field] === value ? undefined : `must be ${value}, got ${p[field]}`),
});

const includes = (
  field: 'requiredServices' | 'requiredFunctions' | 'requiredMaterials' | 'allowedExpenditureCategories',
  ruleId: string,
  text: string,
  named: Record<string, string>,
): MeasureLimit => ({
  field,
  ruleId,
  text,
  problem: (p) => {
    const missing = Object.keys(named).filter((code) => !p[field].includes(code));
    return missing.length === 0
      ? undefined
      : `must ${field === 'allowedExpenditureCategories' ? 'allow' : 'require'} ${missing.map((c) => `${c} (${named[c]})`).join(', ')}: the text names each, a policy may add to the list, never drop from it`;
  },
});

const ratioAtLeast = (
  field: 'minBrokerShare',
  ruleId: string,
  text: string,
  min: Fraction,
): MeasureLimit => ({
  field,
  ruleId,
  text,
  problem: (p) =>
    fractionAtLeast(p[field], min)
      ? undefined
      : `must be at least ${formatFraction(min)} (a policy may raise it, never lower it), got ${formatFraction(p[field])}`,
});

const positive = (
  field: string,
  ruleId: string,
  text: string,
  read: (p: Policy) => { isZero: boolean; shown: string },
): MeasureLimit => ({
  field,
  ruleId,
  text,
  problem: (p) => {
    const { isZero, shown } = read(p);
    return isZero
      ? `must be above 0 (the text grants this support; how much is the city's to set), got ${shown}`
      : undefined;
  },
});

const gradeRatioPositive = (grade: Grade): MeasureLimit =>
  positive(`gradeRatio.${grade}`, 'A17.2', '分优秀、良好、合格给予一定比例的后补助支持', (p) => ({
    isZero: p.gradeRatio[grade].num === 0,
    shown: formatFraction(p.gradeRatio[grade]),
  }));

/** The materials A8 requires (其他有关材料 is optional, so not among them). */
const REQUIRED_MATERIALS = {
  application_form: MATERIAL_KINDS.application_form,
  construction_plan: MATERIAL_KINDS.construction_plan,
  co_construction_agreement: MATERIAL_KINDS.co_construction_agreement,
};

/** Art. 6 as the measures themselves set it: the floor a city policy may raise, never lower. */
export const ART6_MEASURES = {
  minAreaM2: '5000.00',
  requiredServices: Object.keys(SERVICES),
  requiredFunctions: Object.keys(FUNCTIONS),
  minInstitutions: 10,
  minStrategicCooperations: 1,
  minStaff: 10,
  minBrokerShare: { num: 1, den: 2 },
  minActivitiesPerYear: 100,
} as const satisfies Partial<Policy>;

/** `policy` with art. 6 lowered to the measures' own minimums (ART6_MEASURES); everything else kept. */
export function atMeasuresFloor(policy: Policy): Policy {
  return {
    ...policy,
    ...ART6_MEASURES,
    requiredServices: [...ART6_MEASURES.requiredServices],
    requiredFunctions: [...ART6_MEASURES.requiredFunctions],
    minBrokerShare: { ...ART6_MEASURES.minBrokerShare },
  };
}

/**
 * Every policy field the measures bind, in field order. Eligibility minimums (A6) and the publicity period
 * (A9.3) may only be made stricter; the support period and the revocation grounds (A12.1, A17.3) are the
 * text's own and may not move either way; the annual-report day may only come earlier. Not here, because
 * the text leaves them open: the year-1 rate and cap and the annual base beyond being above 0, the ratios
 * of 优秀/良好/合格 beyond being above 0 (the text sets no order), where the grade bands lie, the quarterly
 * due days up to 90 (each quarter's report before the next quarter ends), the days after the operating
 * deadline to declare a start made by it, up to 90. The allowed expenditure categories are A13's own (补助资金用于…房租费…): a policy keeps every one
 * (the catalogue holds no others).
 */
export const MEASURE_LIMITS: readonly MeasureLimit[] = [
  {
    field: 'minAreaM2',
    ruleId: 'A6.1',
    text: '建筑总面积5000平方米以上',
    problem: (p) =>
      readHundredths(p.minAreaM2, 'minAreaM2') >= readHundredths(ART6_MEASURES.minAreaM2, 'minAreaM2')
        ? undefined
        : `must be at least ${ART6_MEASURES.minAreaM2} m² (a policy may raise it, never lower it), got ${p.minAreaM2}`,
  },
  includes(
    'requiredServices',
    'A6.2',
    '提供技术交易、知识产权、金融对接、人才服务、法律服务等…服务',
    SERVICES,
  ),
  includes('requiredFunctions', 'A6.2', '具备成果展示、互动、交易、转化等功能', FUNCTIONS),
  atLeast(
    'minInstitutions',
    'A6.3',
    '集聚高校院所、企业和科技服务机构不少于10家',
    ART6_MEASURES.minInstitutions,
  ),
  atLeast(
    'minStrategicCooperations',
    'A6.3',
    '与国家部委、省、市、区形成战略合作',
    ART6_MEASURES.minStrategicCooperations,
  ),
  atLeast('minStaff', 'A6.4', '运营团队在职人员不少于10人', ART6_MEASURES.minStaff),
  ratioAtLeast(
    'minBrokerShare',
    'A6.4',
    '具备中级技术经纪人资质人员占比在50%以上',
    ART6_MEASURES.minBrokerShare,
  ),
  atLeast('minActivitiesPerYear', 'A6.5', '每年举办…活动不少于100场', ART6_MEASURES.minActivitiesPerYear),
  includes('requiredMaterials', 'A8', '提交下列材料：申报表；建设方案；共建协议', REQUIRED_MATERIALS),
  atLeast('publicityWorkingDays', 'A9.3', '公示期间不少于5个工作日', 5),
  exactly('supportYears', 'A12.1', '连续支持三年', 3),
  positive('year1Rate', 'A12.2', '第一年按照…建设运营经费情况给予补助资金', (p) => ({
    isZero: p.year1Rate.num === 0,
    shown: formatFraction(p.year1Rate),
  })),
  positive('year1CapFen', 'A12.2', '第一年按照…建设运营经费情况给予补助资金', (p) => ({
    isZero: BigInt(p.year1CapFen) === 0n,
    shown: p.year1CapFen,
  })),
  positive('annualBaseFen', 'A12.3', '第二年、第三年补助资金根据上一年度考核结果，按比例拨付', (p) => ({
    isZero: BigInt(p.annualBaseFen) === 0n,
    shown: p.annualBaseFen,
  })),
  gradeRatioPositive('优秀'),
  gradeRatioPositive('良好'),
  gradeRatioPositive('合格'),
  {
    field: 'gradeRatio.不合格',
    ruleId: 'A17.2',
    text: '不合格的，不给予后补助支持',
    problem: (p) =>
      p.gradeRatio.不合格.num === 0 ? undefined : `must be 0, got ${formatFraction(p.gradeRatio.不合格)}`,
  },
  {
    field: 'gradeBands',
    ruleId: 'A17.1',
    text: '根据考核结果分为优秀、良好、合格、不合格四个档次',
    problem: (p) => {
      const missing = GRADES.filter((g) => !p.gradeBands.some((b) => b.grade === g));
      return missing.length === 0
        ? undefined
        : `must give a band to each of the four grades (where the bands lie is the city's to set), missing ${missing.join(', ')}`;
    },
  },
  {
    // Read as "a report for every quarter": each falls due before the next quarter ends (the shortest, a
    // common year's Q1, is 90 days), so the reports stay one a quarter, in order; and at least a day after
    // the quarter ends, the first day a report on it can be filed.
    field: 'quarterlyReportDueDays',
    ruleId: 'A14',
    text: '每季度应当…报送…运营情况等相关材料',
    problem: (p) =>
      p.quarterlyReportDueDays >= 1 && p.quarterlyReportDueDays <= 90
        ? undefined
        : `must be 1 to 90 days (a quarter's report can be filed from the day after it ends and falls due within the next quarter), got ${p.quarterlyReportDueDays}`,
  },
  {
    field: 'annualReportDueMonthDay',
    ruleId: 'A15',
    text: '每年1月底前…报送上年度运营情况',
    problem: (p) =>
      !isLocalDate(`2027-${p.annualReportDueMonthDay}`)
        ? `must be a day of every year, and ${p.annualReportDueMonthDay} is not one of 2027`
        : p.annualReportDueMonthDay > '01-31'
          ? `must be 01-31 or earlier (a policy may bring it forward, never put it off), got ${p.annualReportDueMonthDay}`
          : undefined,
  },
  exactly('operatingDeadlineYears', 'A17.3', '自认定…后两年内未投入运营…取消…资格', 2),
  {
    // The system's choice, not the text's: how long after the deadline a start made by then may still be
    // declared. At most a quarter, so the deadline's record — the revocation, dated the day after the
    // deadline, and the stop of support — follows it within one. Required in a new version: one without it
    // would be read through the default, and its decisions would replay differently if the default changed.
    field: 'operationStartDeclarationDays',
    ruleId: 'A17.3',
    text: '自认定…后两年内未投入运营…取消…资格',
    problem: ({ operationStartDeclarationDays: days }) =>
      days === undefined
        ? 'is required in a new version (0 to 90 days; versions published before it existed are read with 15)'
        : days <= 90
          ? undefined
          : `must be 0 to 90 days (a start made by the operating deadline is declared within a quarter after it), got ${days}`,
  },
  exactly('consecutiveUnqualifiedToRevoke', 'A17.3', '连续两年考核不合格的，取消…资格', 2),
  includes(
    'allowedExpenditureCategories',
    'A13',
    '补助资金用于…建设费、房租费、物业费、能源费和通信费用支出，以及…公共服务所需支出',
    EXPENDITURE_CATEGORIES,
  ),
];

/** Throws PolicyValidationError naming the first field that departs from the measures, and its article. */
export function checkMeasureLimits(policy: Policy): void {
  for (const limit of MEASURE_LIMITS) {
    const problem = limit.problem(policy);
    if (problem !== undefined)
      throw new PolicyValidationError(
        limit.field,
        `${problem} — ${limit.ruleId} 「${limit.text}」`,
        limit.ruleId,
      );
  }
}

/**
 * A version name a new version may have: every decision taken under it records it (review's recognition,
 * finance's grants among them), and the ledger, the registry's lists and their CSV exports show it.
 * Loading does not check it (`validatePolicy` takes any non-empty text): a version published before this
 * check still loads and replays.
 */
export const POLICY_VERSION_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** POLICY_VERSION_PATTERN in words, as a refusal states it. */
export const POLICY_VERSION_RULE =
  "must be 1 to 100 characters, each a letter A-Z or a-z, a digit, '.', '_' or '-' (e.g. policy-2027.1)";

/**
 * What a policy must satisfy to be *published* as a new version (finance's policy book): `validatePolicy`,
 * a version name of POLICY_VERSION_PATTERN and the measures (MEASURE_LIMITS). Loading for replay stays with
 * `validatePolicy` alone, so a version published before these checks still replays the decisions taken
 * under it.
 */
export function validatePublishablePolicy(raw: unknown): Policy {
  const policy = validatePolicy(raw);
  refuseUnknownFields(raw, policy, '');
  if (!POLICY_VERSION_PATTERN.test(policy.version))
    throw new PolicyValidationError(
      'version',
      `${POLICY_VERSION_RULE}, got ${policy.version.length > 100 ? `${policy.version.length} characters` : show(policy.version)}`,
    );
  checkMeasureLimits(policy);
  for (const field of ['year1CapFen', 'annualBaseFen'] as const)
    if (BigInt(policy[field]) > MAX_LEDGER_FEN)
      throw new PolicyValidationError(
        field,
        `must not exceed ${MAX_LEDGER_FEN} fen, the largest amount the ledger holds, got ${policy[field]}`,
      );
  return policy;
}

/**
 * A field the policy does not have (a misspelt `year1CapFen`, a `percent` beside a ratio's num and den)
 * would be dropped by normalisation and the version published without it: the bureau would believe it set
 * a parameter that no decision reads. Walks the given object beside its normalised form.
 */
function refuseUnknownFields(raw: unknown, known: unknown, path: string): void {
  if (Array.isArray(raw) && Array.isArray(known)) {
    raw.forEach((item, i) => refuseUnknownFields(item, known[i], `${path}[${i}]`));
    return;
  }
  if (!isObject(raw) || !isObject(known)) return;
  for (const key of Object.keys(raw)) {
    const field = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(known, key))
      throw new PolicyValidationError(field, 'unknown field: a policy has no such parameter');
    refuseUnknownFields(raw[key], known[key], field);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The largest amount finance's ledger and the read side's bigint columns hold. */
export const MAX_LEDGER_FEN = 10n ** 18n - 1n;
