import { inputErrorField } from '../input-error-field.spec-helper';
import { DEFAULT_POLICY } from './default-policy';
import {
  defaultPolicy,
  defaultPolicyRegistry,
  PolicyRegistry,
  UnknownPolicyVersionError,
} from './policy-registry';
import { PolicyValidationError, validatePolicy } from './validate-policy';

const withField = (patch: Record<string, unknown>) => ({ ...DEFAULT_POLICY, ...patch });
const bands = (...b: [string, number, number][]) =>
  b.map(([grade, fromScore, toScore]) => ({ grade, fromScore, toScore }));

describe('policy validation', () => {
  it('accepts the default policy of RULES.md', () => {
    expect(defaultPolicy).toMatchObject({
      version: 'policy-2026.1',
      minAreaM2: '5000.00',
      year1CapFen: '300000000',
    });
  });

  it.each([
    ['a ratio above 100 %', { year1Rate: { num: 101, den: 100 } }, 'policy.year1Rate'],
    ['a negative ratio', { minBrokerShare: { num: -1, den: 2 } }, 'policy.minBrokerShare.num'],
    ['a zero denominator', { year1Rate: { num: 0, den: 0 } }, 'policy.year1Rate.den'],
    [
      'a grade ratio above 100 %',
      { gradeRatio: { ...DEFAULT_POLICY.gradeRatio, 优秀: { num: 3, den: 2 } } },
      'policy.gradeRatio.优秀',
    ],
    [
      'an unknown grade in the ratios',
      { gradeRatio: { ...DEFAULT_POLICY.gradeRatio, A: { num: 1, den: 1 } } },
      'policy.gradeRatio.A',
    ],
    ['a missing grade ratio', { gradeRatio: { 优秀: { num: 1, den: 1 } } }, 'policy.gradeRatio.良好'],
    ['a negative amount', { year1CapFen: '-1' }, 'policy.year1CapFen'],
    ['a negative number amount', { annualBaseFen: -100 }, 'policy.annualBaseFen'],
    [
      'an unknown expenditure category',
      { allowedExpenditureCategories: ['rent', 'sponsorship'] },
      'policy.allowedExpenditureCategories[1]',
    ],
    [
      'a repeated category',
      { allowedExpenditureCategories: ['rent', 'rent'] },
      'policy.allowedExpenditureCategories[1]',
    ],
    ['an unknown service', { requiredServices: ['astrology'] }, 'policy.requiredServices[0]'],
    ['an unknown material', { requiredMaterials: ['photo'] }, 'policy.requiredMaterials[0]'],
    ['a negative minimum', { minStaff: -1 }, 'policy.minStaff'],
    ['zero publicity days', { publicityWorkingDays: 0 }, 'policy.publicityWorkingDays'],
    ['an area with 3 decimals', { minAreaM2: '5000.001' }, 'policy.minAreaM2'],
    ['a bad effective date', { effectiveFrom: '2026-13-01' }, 'policy.effectiveFrom'],
    ['no version', { version: '' }, 'policy.version'],
    ['a bad month-day', { annualReportDueMonthDay: '02-30' }, 'policy.annualReportDueMonthDay'],
    ['ratios not an object', { year1Rate: 0.5 }, 'policy.year1Rate'],
    [
      'categories not a list',
      { allowedExpenditureCategories: 'rent' },
      'policy.allowedExpenditureCategories',
    ],
    [
      'overlapping bands',
      { gradeBands: bands(['不合格', 0, 60], ['合格', 59, 80], ['良好', 80, 90], ['优秀', 90, 100]) },
      'policy.gradeBands[1].fromScore',
    ],
    [
      'gapped bands',
      { gradeBands: bands(['不合格', 0, 60], ['合格', 61, 80], ['良好', 80, 90], ['优秀', 90, 100]) },
      'policy.gradeBands[1].fromScore',
    ],
    [
      'bands not starting at 0',
      { gradeBands: bands(['不合格', 10, 60], ['合格', 60, 100]) },
      'policy.gradeBands[0].fromScore',
    ],
    [
      'bands not reaching 100',
      { gradeBands: bands(['不合格', 0, 60], ['合格', 60, 99]) },
      'policy.gradeBands[1].toScore',
    ],
    [
      'an empty band',
      { gradeBands: bands(['不合格', 0, 0], ['合格', 0, 100]) },
      'policy.gradeBands[0].toScore',
    ],
    [
      'a repeated grade',
      { gradeBands: bands(['合格', 0, 60], ['合格', 60, 100]) },
      'policy.gradeBands[1].grade',
    ],
    [
      'a better grade lower down',
      { gradeBands: bands(['优秀', 0, 60], ['合格', 60, 100]) },
      'policy.gradeBands[1].grade',
    ],
    ['an unknown grade', { gradeBands: bands(['A', 0, 100]) }, 'policy.gradeBands[0].grade'],
    ['no bands', { gradeBands: [] }, 'policy.gradeBands'],
    ['a band that is not an object', { gradeBands: [1] }, 'policy.gradeBands[0]'],
  ])('rejects %s, naming the field', (_name, patch, field) => {
    expect(inputErrorField(() => validatePolicy(withField(patch)))).toBe(field);
  });

  it('rejects a policy that is not an object', () => {
    expect(() => validatePolicy('x')).toThrow(PolicyValidationError);
    expect(inputErrorField(() => validatePolicy(null))).toBe('policy');
  });

  it('accepts amounts as safe integers and bands with decimals', () => {
    const p = validatePolicy(
      withField({ year1CapFen: 500, gradeBands: bands(['不合格', 0, 59.5], ['合格', 59.5, 100]) }),
    );
    expect(p.year1CapFen).toBe('500');
    expect(p.gradeBands[1]).toEqual({ grade: '合格', fromScore: 59.5, toScore: 100 });
  });
});

describe('policy registry', () => {
  it('finds a policy by version and the one in force on a date', () => {
    const registry = defaultPolicyRegistry();
    registry.register(
      withField({ version: 'policy-2027.1', effectiveFrom: '2027-01-01', annualBaseFen: '120000000' }),
    );
    expect(registry.versions()).toEqual(['policy-2026.1', 'policy-2027.1']);
    expect(registry.inForceOn('2026-12-31').version).toBe('policy-2026.1');
    expect(registry.inForceOn('2027-01-01').version).toBe('policy-2027.1');
    expect(() => registry.inForceOn('2025-12-31')).toThrow(/no policy is in force/);
    expect(() => registry.get('policy-1999')).toThrow(UnknownPolicyVersionError);
  });

  it('refuses a known version with other content, and accepts the same content again', () => {
    const registry = new PolicyRegistry([DEFAULT_POLICY]);
    expect(() => registry.register(withField({ minStaff: 5 }))).toThrow(/already registered/);
    expect(registry.register(DEFAULT_POLICY).version).toBe('policy-2026.1');
  });
});
