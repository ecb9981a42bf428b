import { EXPENDITURE_CATEGORIES, FUNCTIONS, GRADES, Grade, MATERIAL_KINDS, SERVICES } from '../catalogue';
import { RuleInputError } from '../errors';
import { Fraction } from '../values/fraction';
import { formatHundredths, readHundredths } from '../values/hundredths';
import { isLocalDate, readLocalDate, show } from '../values/local-date';
import { readArray, readObject, readString } from '../values/read';
import { GradeBand, Policy } from './policy';

export class PolicyValidationError extends RuleInputError {
  constructor(field: string, problem: string, ruleId?: string) {
    super(field ? `policy.${field}` : 'policy', problem, ruleId);
    this.name = 'PolicyValidationError';
  }
}

const fail = (field: string, problem: string): never => {
  throw new PolicyValidationError(field, problem);
};

/**
 * Checks a policy object (e.g. parsed JSON) field by field — types, ranges, known codes — and returns it in
 * normalised form. This is what a policy must satisfy to be *loaded* (PolicyRegistry, replay, the copies
 * services keep): every version finance ever published passes it. A new version must also keep to the
 * measures: `validatePublishablePolicy` (publishable-policy.ts).
 */
export function validatePolicy(raw: unknown): Policy {
  const p = guard(() => readObject(raw, 'policy'), '');
  const field = <T>(name: string, read: (v: unknown) => T): T => guard(() => read(p[name]), name);
  return {
    version: field('version', (v) => readString(v, 'version')),
    effectiveFrom: field('effectiveFrom', (v) => readLocalDate(v, 'effectiveFrom')),
    minAreaM2: formatHundredths(field('minAreaM2', (v) => readHundredths(v, 'minAreaM2'))),
    requiredServices: codes(p.requiredServices, 'requiredServices', Object.keys(SERVICES)),
    requiredFunctions: codes(p.requiredFunctions, 'requiredFunctions', Object.keys(FUNCTIONS)),
    minInstitutions: whole(p.minInstitutions, 'minInstitutions'),
    minStrategicCooperations: whole(p.minStrategicCooperations, 'minStrategicCooperations'),
    minStaff: whole(p.minStaff, 'minStaff'),
    minBrokerShare: ratio(p.minBrokerShare, 'minBrokerShare'),
    minActivitiesPerYear: whole(p.minActivitiesPerYear, 'minActivitiesPerYear'),
    requiredMaterials: codes(p.requiredMaterials, 'requiredMaterials', Object.keys(MATERIAL_KINDS)),
    publicityWorkingDays: whole(p.publicityWorkingDays, 'publicityWorkingDays', 1),
    supportYears: whole(p.supportYears, 'supportYears', 1),
    year1Rate: ratio(p.year1Rate, 'year1Rate'),
    year1CapFen: fen(p.year1CapFen, 'year1CapFen'),
    annualBaseFen: fen(p.annualBaseFen, 'annualBaseFen'),
    gradeRatio: gradeRatio(p.gradeRatio),
    gradeBands: gradeBands(p.gradeBands),
    quarterlyReportDueDays: whole(p.quarterlyReportDueDays, 'quarterlyReportDueDays'),
    annualReportDueMonthDay: monthDay(p.annualReportDueMonthDay, 'annualReportDueMonthDay'),
    operatingDeadlineYears: whole(p.operatingDeadlineYears, 'operatingDeadlineYears', 1),
    // Optional: versions published before it existed lack it, and load (and replay) without it.
    ...(p.operationStartDeclarationDays === undefined
      ? {}
      : {
          operationStartDeclarationDays: whole(
            p.operationStartDeclarationDays,
            'operationStartDeclarationDays',
          ),
        }),
    consecutiveUnqualifiedToRevoke: whole(
      p.consecutiveUnqualifiedToRevoke,
      'consecutiveUnqualifiedToRevoke',
      1,
    ),
    allowedExpenditureCategories: codes(
      p.allowedExpenditureCategories,
      'allowedExpenditureCategories',
      Object.keys(EXPENDITURE_CATEGORIES),
    ),
  };
}

function guard<T>(read: () => T, name: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof RuleInputError && !(e instanceof PolicyValidationError)) return fail(name, e.problem);
    throw e;
  }
}

function whole(value: unknown, name: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    fail(name, `expected a whole number >= ${min}, got ${show(value)}`);
  return value as number;
}

function fen(value: unknown, name: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value))
    fail(name, `expected an amount in whole fen >= 0 (negative amounts are not allowed), got ${show(value)}`);
  return BigInt(value as string).toString();
}

function ratio(value: unknown, name: string): Fraction {
  const r = guard(() => readObject(value, name), name);
  const num = whole(r.num, `${name}.num`);
  const den = whole(r.den, `${name}.den`, 1);
  if (num > den) fail(name, `a ratio must lie within 0–100 %, got ${num}/${den}`);
  return { num, den };
}

function codes(value: unknown, name: string, known: string[]): string[] {
  const list = guard(() => readArray(value, name), name);
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (typeof item !== 'string' || !known.includes(item))
      fail(`${name}[${i}]`, `unknown category ${show(item)}; known: ${known.join(', ')}`);
    if (seen.has(item as string)) fail(`${name}[${i}]`, `${show(item)} is listed twice`);
    seen.add(item as string);
  });
  return list as string[];
}

function gradeRatio(value: unknown): Record<Grade, Fraction> {
  const r = guard(() => readObject(value, 'gradeRatio'), 'gradeRatio');
  for (const key of Object.keys(r))
    if (!(GRADES as readonly string[]).includes(key))
      fail(`gradeRatio.${key}`, `unknown grade; known: ${GRADES.join(', ')}`);
  const out = {} as Record<Grade, Fraction>;
  for (const grade of GRADES) out[grade] = ratio(r[grade], `gradeRatio.${grade}`);
  return out;
}

/** Bands must cover 0–100 without gap or overlap, each grade once, better grades higher up. */
function gradeBands(value: unknown): GradeBand[] {
  const list = guard(() => readArray(value, 'gradeBands'), 'gradeBands');
  if (list.length === 0) fail('gradeBands', 'expected at least one band');
  let previousTo = 0;
  let previousRank = -1;
  const bands = list.map((item, i) => {
    const name = `gradeBands[${i}]`;
    const b = guard(() => readObject(item, name), name);
    if (typeof b.grade !== 'string' || !(GRADES as readonly string[]).includes(b.grade))
      fail(`${name}.grade`, `unknown grade ${show(b.grade)}; known: ${GRADES.join(', ')}`);
    const grade = b.grade as Grade;
    const from = guard(() => readHundredths(b.fromScore, `${name}.fromScore`), `${name}.fromScore`);
    const to = guard(() => readHundredths(b.toScore, `${name}.toScore`), `${name}.toScore`);
    if (from < previousTo)
      fail(`${name}.fromScore`, `overlaps the band below (which ends at ${previousTo / 100})`);
    if (from > previousTo)
      fail(`${name}.fromScore`, `leaves a gap: the band below ends at ${previousTo / 100}`);
    if (to <= from) fail(`${name}.toScore`, `must be above fromScore ${from / 100}`);
    const rank = GRADES.length - 1 - GRADES.indexOf(grade);
    if (rank <= previousRank)
      fail(`${name}.grade`, `${grade} is repeated or ranks below a lower band's grade`);
    previousTo = to;
    previousRank = rank;
    return { grade, fromScore: from / 100, toScore: to / 100 };
  });
  if (previousTo !== 10000)
    fail(`gradeBands[${list.length - 1}].toScore`, `the top band must end at 100, got ${previousTo / 100}`);
  return bands;
}

/**
 * A day of some year. 02-29 still loads (checked in leap year 2000): finance accepted it before
 * publication checked a common year, so a stored version may hold it; `validatePublishablePolicy` refuses it.
 */
function monthDay(value: unknown, name: string): string {
  const ok = typeof value === 'string' && /^\d{2}-\d{2}$/.test(value) && isLocalDate(`2000-${value}`);
  if (!ok) fail(name, `expected MM-DD, got ${show(value)}`);
  return value as string;
}
