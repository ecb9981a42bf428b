/** The closed vocabularies of the measures: codes used in inputs, with the Chinese terms of the text. */

export const GRADES = ['优秀', '良好', '合格', '不合格'] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_EN: Record<Grade, string> = {
  优秀: 'excellent',
  良好: 'good',
  合格: 'qualified',
  不合格: 'unqualified',
};

/** A6.2 transfer services. */
export const SERVICES = {
  technology_trading: '技术交易',
  intellectual_property: '知识产权',
  financial_matching: '金融对接',
  talent_services: '人才服务',
  legal_services: '法律服务',
} as const;

/** A6.2 functions. */
export const FUNCTIONS = {
  display: '展示',
  interaction: '互动',
  trading: '交易',
  transformation: '转化',
} as const;

/**
 * A6.2 functions named otherwise by the measures: 「具备成果展示、互动、交易、转化等功能」 (counted from
 * rules-2026.5; before, 成果展示 was a further function and display missing).
 */
export const FUNCTION_ALIASES: Record<string, keyof typeof FUNCTIONS> = { 成果展示: 'display' };

/** Edits (insert, delete, substitute) between two words: a misspelling is one or two. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * A6.2: a word within two edits of a code not listed, e.g. 'legal_service' for 'legal_services': a misspelt
 * code, which read as a further service (等, such as testing_certification) would leave the named one
 * missing, and A6 refuses or A16 revokes for good. The first such word and the code it was meant as.
 */
export function misspeltCode(
  terms: readonly unknown[],
  table: Record<string, string>,
): { at: number; meant: string } | undefined {
  for (const [at, term] of terms.entries()) {
    if (typeof term !== 'string' || Object.hasOwn(table, term)) continue;
    // A code already listed is not what a further one (training beside trading) was meant as.
    const meant = Object.keys(table).find(
      (code) => !terms.includes(code) && editDistance(term.toLowerCase(), code) <= 2,
    );
    if (meant) return { at, meant };
  }
  return undefined;
}

/** A6.3: only these kinds count; 'other' (e.g. a government agency, an association) is recorded but not counted. */
export const INSTITUTION_KINDS = [
  'university',
  'research_institute',
  'enterprise',
  'st_service_org',
  'other',
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export const COUNTED_INSTITUTION_KINDS: readonly InstitutionKind[] = [
  'university',
  'research_institute',
  'enterprise',
  'st_service_org',
];

/** A6.3 strategic cooperation partners: a national ministry, the province, the city or a district. */
export const COOPERATION_LEVELS = ['national', 'province', 'city', 'district'] as const;
export type CooperationLevel = (typeof COOPERATION_LEVELS)[number];

/** A6.4: junior (初级) does not count; intermediate (中级) and senior (高级) do. */
export const BROKER_LEVELS = ['junior', 'intermediate', 'senior'] as const;
export type BrokerLevel = (typeof BROKER_LEVELS)[number];

/** A8 material kinds. */
export const MATERIAL_KINDS = {
  application_form: '申报表',
  construction_plan: '建设方案',
  co_construction_agreement: '共建协议',
  other: '其他有关材料',
} as const;
export type MaterialKind = keyof typeof MATERIAL_KINDS;

/** A13 allowed categories of spending. */
export const EXPENDITURE_CATEGORIES = {
  construction: '建设费',
  rent: '房租费',
  property_management: '物业费',
  energy: '能源费',
  communications: '通信费',
  st_events: '科创活动举办',
  media_promotion: '媒体宣传推广',
  venue_maintenance: '场馆日常维护',
  equipment_renewal: '设备器材更新',
  design_renovation: '设计改造',
  venue_informatisation: '场馆信息化服务',
} as const;
export type ExpenditureCategory = keyof typeof EXPENDITURE_CATEGORIES;

/** A13 forbidden uses, always rejected whatever the policy says. */
export const FORBIDDEN_EXPENDITURES = {
  fine: '罚款',
  donation: '捐款',
  sponsorship: '赞助',
  investment: '投资',
} as const;
export type ForbiddenExpenditure = keyof typeof FORBIDDEN_EXPENDITURES;

/** A code or its Chinese term → the code, or undefined. */
export function codeOf<T extends Record<string, string>>(table: T, value: string): keyof T | undefined {
  if (Object.prototype.hasOwnProperty.call(table, value)) return value as keyof T;
  return (Object.keys(table) as (keyof T)[]).find((code) => table[code] === value);
}
