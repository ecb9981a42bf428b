import { inputErrorField } from '../input-error-field.spec-helper';
import { DEFAULT_POLICY } from './default-policy';
import { operationStartDeclarationDays } from './policy';
import {
  defaultPolicy,
  defaultPolicyRegistry,
  PolicyRegistry,
  UnknownPolicyVersionError,
} from './policy-registry';
import { PolicyValidationError, validatePolicy } from './validate-policy';
import {
  checkMeasureLimits,
  MEASURE_LIMITS,
  POLICY_VERSION_PATTERN,
  POLICY_VERSION_RULE,
  validatePublishablePolicy,
} from './publishable-policy';
import { RuleInputError } from '../errors';

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

/** The field and the article a refused publication names. */
const refusal = (raw: unknown): { field: string; ruleId?: string; message: string } | string => {
  try {
    validatePublishablePolicy(raw);
  } catch (e) {
    if (e instanceof PolicyValidationError) return { field: e.field, ruleId: e.ruleId, message: e.message };
    throw e;
  }
  return '(published)';
};

describe('publication keeps to the measures', () => {
  const grades = (patch: Record<string, unknown>) => ({
    gradeRatio: { ...DEFAULT_POLICY.gradeRatio, ...patch },
  });

  it('refuses an amount the ledger could not hold (a grant under it would fail in finance, unseen)', () => {
    expect(refusal({ ...DEFAULT_POLICY, annualBaseFen: '10000000000000000000' })).toMatchObject({
      field: 'policy.annualBaseFen',
      message: expect.stringContaining('the largest amount the ledger holds'),
    });
    expect(refusal({ ...DEFAULT_POLICY, year1CapFen: '999999999999999999' })).toBe('(published)');
  });

  it('refuses a field the policy does not have, at any depth, rather than publish without it', () => {
    expect(refusal({ ...DEFAULT_POLICY, year2CapFen: '1' })).toMatchObject({
      field: 'policy.year2CapFen',
      message: expect.stringContaining('unknown field'),
    });
    expect(refusal({ ...DEFAULT_POLICY, year1Rate: { num: 1, den: 2, percent: 60 } })).toMatchObject({
      field: 'policy.year1Rate.percent',
    });
    const bands = DEFAULT_POLICY.gradeBands.map((b, i) => (i === 1 ? { ...b, label: '良' } : b));
    expect(refusal({ ...DEFAULT_POLICY, gradeBands: bands })).toMatchObject({
      field: 'policy.gradeBands[1].label',
    });
  });

  it('publishes the default policy of RULES.md', () => {
    expect(validatePublishablePolicy(DEFAULT_POLICY)).toEqual(defaultPolicy);
  });

  it.each([
    ['101 characters', 'p'.repeat(101), 'got 101 characters'],
    ['5 000 characters', 'policy-2027.'.padEnd(5000, '9'), 'got 5000 characters'],
    ['CJK text', `policy-2026.${'长'.repeat(120)}`, 'got 132 characters'],
    ['a space inside', 'policy 2027.1', 'got "policy 2027.1"'],
    ['a slash', 'policy/2027', 'got "policy/2027"'],
    ['a zero-width space', 'policy-2027.1\u200b', 'got "policy-2027.1\u200b"'],
  ])('refuses a version name of %s, stating the rule', (_, version, got) => {
    const refused = refusal(withField({ version, effectiveFrom: '2027-01-01' }));
    expect(refused).toMatchObject({ field: 'policy.version', ruleId: undefined });
    expect((refused as { message: string }).message).toBe(`policy.version: ${POLICY_VERSION_RULE}, ${got}`);
  });

  it.each(['p', 'policy-2027.1', 'policy_2027.9-e2e', '1.10', 'P'.repeat(100), ' policy-2027.2 '])(
    'publishes the version name %j (read trimmed)',
    (version) => {
      expect(validatePublishablePolicy(withField({ version })).version).toBe(version.trim());
      expect(POLICY_VERSION_PATTERN.test(version.trim())).toBe(true);
    },
  );

  it('still loads a version published before names were bounded, for replay of the decisions taken under it', () => {
    const long = withField({ version: `policy-2026.${'长'.repeat(120)}`, effectiveFrom: '2026-07-01' });
    expect(validatePolicy(long).version).toHaveLength(132);
    expect(defaultPolicyRegistry().register(long).version).toHaveLength(132);
  });

  it.each([
    ['不合格 paid 1/2', grades({ 不合格: { num: 1, den: 2 } }), 'policy.gradeRatio.不合格', 'A17.2'],
    ['1 publicity day', { publicityWorkingDays: 1 }, 'policy.publicityWorkingDays', 'A9.3'],
    ['4 publicity days', { publicityWorkingDays: 4 }, 'policy.publicityWorkingDays', 'A9.3'],
    ['1000 m²', { minAreaM2: '1000.00' }, 'policy.minAreaM2', 'A6.1'],
    ['4999.99 m²', { minAreaM2: '4999.99' }, 'policy.minAreaM2', 'A6.1'],
    ['no required materials', { requiredMaterials: [] }, 'policy.requiredMaterials', 'A8'],
    [
      'the agreement not required',
      { requiredMaterials: ['application_form', 'construction_plan'] },
      'policy.requiredMaterials',
      'A8',
    ],
    ['no required services', { requiredServices: [] }, 'policy.requiredServices', 'A6.2'],
    ['a function dropped', { requiredFunctions: ['display'] }, 'policy.requiredFunctions', 'A6.2'],
    ['9 institutions', { minInstitutions: 9 }, 'policy.minInstitutions', 'A6.3'],
    ['no strategic cooperation', { minStrategicCooperations: 0 }, 'policy.minStrategicCooperations', 'A6.3'],
    ['9 staff', { minStaff: 9 }, 'policy.minStaff', 'A6.4'],
    ['a broker share of 0/1', { minBrokerShare: { num: 0, den: 1 } }, 'policy.minBrokerShare', 'A6.4'],
    ['a broker share of 49/100', { minBrokerShare: { num: 49, den: 100 } }, 'policy.minBrokerShare', 'A6.4'],
    ['99 activities', { minActivitiesPerYear: 99 }, 'policy.minActivitiesPerYear', 'A6.5'],
    [
      'a quarter report due after the next quarter',
      { quarterlyReportDueDays: 91 },
      'policy.quarterlyReportDueDays',
      'A14',
    ],
    [
      "a quarter report due on the quarter's last day (not yet fileable, late the day after)",
      { quarterlyReportDueDays: 0 },
      'policy.quarterlyReportDueDays',
      'A14',
    ],
    [
      'a quarter report due in 2^53 days',
      { quarterlyReportDueDays: 9007199254740991 },
      'policy.quarterlyReportDueDays',
      'A14',
    ],
    ['7 support years', { supportYears: 7 }, 'policy.supportYears', 'A12.1'],
    ['2 support years', { supportYears: 2 }, 'policy.supportYears', 'A12.1'],
    ['a year-1 rate of 0', { year1Rate: { num: 0, den: 1 } }, 'policy.year1Rate', 'A12.2'],
    ['a year-1 cap of 0', { year1CapFen: '0' }, 'policy.year1CapFen', 'A12.2'],
    ['an annual base of 0', { annualBaseFen: 0 }, 'policy.annualBaseFen', 'A12.3'],
    ['合格 paid nothing', grades({ 合格: { num: 0, den: 1 } }), 'policy.gradeRatio.合格', 'A17.2'],
    [
      'no band grading 不合格',
      { gradeBands: bands(['合格', 0, 80], ['良好', 80, 90], ['优秀', 90, 100]) },
      'policy.gradeBands',
      'A17.1',
    ],
    [
      'the annual report due 02-29',
      { annualReportDueMonthDay: '02-29' },
      'policy.annualReportDueMonthDay',
      'A15',
    ],
    [
      'the annual report due 02-01',
      { annualReportDueMonthDay: '02-01' },
      'policy.annualReportDueMonthDay',
      'A15',
    ],
    [
      '91 days after the operating deadline to declare a start',
      { operationStartDeclarationDays: 91 },
      'policy.operationStartDeclarationDays',
      'A17.3',
    ],
    ['9 years to start operating', { operatingDeadlineYears: 9 }, 'policy.operatingDeadlineYears', 'A17.3'],
    ['1 year to start operating', { operatingDeadlineYears: 1 }, 'policy.operatingDeadlineYears', 'A17.3'],
    [
      '3 unqualified years to revoke',
      { consecutiveUnqualifiedToRevoke: 3 },
      'policy.consecutiveUnqualifiedToRevoke',
      'A17.3',
    ],
    [
      'rent no longer an allowed use',
      {
        allowedExpenditureCategories: DEFAULT_POLICY.allowedExpenditureCategories.filter((c) => c !== 'rent'),
      },
      'policy.allowedExpenditureCategories',
      'A13',
    ],
    ['no allowed use', { allowedExpenditureCategories: [] }, 'policy.allowedExpenditureCategories', 'A13'],
  ])('refuses %s, naming the field and the article', (_name, patch, field, ruleId) => {
    const refused = refusal(withField(patch));
    expect(refused).toMatchObject({ field, ruleId });
    expect((refused as { message: string }).message).toContain(`${ruleId}: ${field}: `);
  });

  it('says what the text fixes and what was given', () => {
    expect(refusal(withField({ publicityWorkingDays: 1 }))).toMatchObject({
      message: expect.stringMatching(/must be at least 5 .*got 1 — A9\.3 「公示期间不少于5个工作日」/),
    });
  });

  it.each([
    ['a larger minimum area', { minAreaM2: '6000.00' }],
    ['more publicity days', { publicityWorkingDays: 7 }],
    ['a higher broker share', { minBrokerShare: { num: 2, den: 3 } }],
    [
      'more institutions, staff, activities, cooperations',
      { minInstitutions: 12, minStaff: 15, minActivitiesPerYear: 120, minStrategicCooperations: 2 },
    ],
    ['other materials required too', { requiredMaterials: [...DEFAULT_POLICY.requiredMaterials, 'other'] }],
    ['an earlier annual report', { annualReportDueMonthDay: '01-15' }],
    ['a quarter report due within 90 days, the most', { quarterlyReportDueDays: 90 }],
    ['a quarter report due the day after the quarter, the least', { quarterlyReportDueDays: 1 }],
    ['a start declared by the operating deadline itself', { operationStartDeclarationDays: 0 }],
    [
      '90 days after the operating deadline to declare a start, the most',
      { operationStartDeclarationDays: 90 },
    ],
    [
      'other open numbers',
      { year1Rate: { num: 3, den: 10 }, annualBaseFen: '1', quarterlyReportDueDays: 30 },
    ],
  ])('publishes a stricter or open change: %s', (_name, patch) => {
    expect(refusal(withField(patch))).toBe('(published)');
  });

  it('names a field for every limit, each a field of the policy', () => {
    for (const limit of MEASURE_LIMITS) {
      expect(Object.keys(DEFAULT_POLICY)).toContain(limit.field.split('.')[0]);
      expect(limit.ruleId).toMatch(/^A\d+(\.\d+)?$/);
      expect(limit.problem(defaultPolicy)).toBeUndefined();
    }
  });

  it('still loads a version that loosens the measures, for replay of the decisions taken under it', () => {
    const loose = withField({
      version: 'policy-2026.9',
      effectiveFrom: '2026-07-01',
      minAreaM2: '1000.00',
      publicityWorkingDays: 1,
      requiredMaterials: [],
      requiredServices: [],
      minBrokerShare: { num: 0, den: 1 },
      supportYears: 7,
      operatingDeadlineYears: 9,
      annualReportDueMonthDay: '02-29',
      gradeRatio: { ...DEFAULT_POLICY.gradeRatio, 不合格: { num: 1, den: 2 } },
    });
    expect(validatePolicy(loose).publicityWorkingDays).toBe(1);
    const registry = defaultPolicyRegistry();
    expect(registry.register(loose).version).toBe('policy-2026.9');
    expect(() => checkMeasureLimits(registry.get('policy-2026.9'))).toThrow(RuleInputError);
  });

  describe("operationStartDeclarationDays (A17.3a, the system's choice), added after versions were published", () => {
    const { operationStartDeclarationDays: _added, ...before } = DEFAULT_POLICY;
    const older = { ...before, version: 'policy-2026.2', effectiveFrom: '2026-07-01' };

    it('loads and registers a version without it as it was (no field filled in), and publishes none new', () => {
      const loaded = validatePolicy(older);
      expect(loaded).not.toHaveProperty('operationStartDeclarationDays');
      expect(operationStartDeclarationDays(loaded)).toBe(15);
      const registry = defaultPolicyRegistry();
      registry.register(older);
      expect(() => registry.register(older)).not.toThrow();
      expect(registry.get('policy-2026.2')).toEqual(loaded);
      // A new version states the number: read through the default, its decisions would replay differently
      // if the default changed.
      expect(refusal({ ...older, version: 'policy-2026.3' })).toMatchObject({
        field: 'policy.operationStartDeclarationDays',
        ruleId: 'A17.3',
        message: expect.stringContaining('is required in a new version'),
      });
    });

    it('reads the number a version sets, 0 included', () => {
      expect(operationStartDeclarationDays(defaultPolicy)).toBe(15);
      expect(
        operationStartDeclarationDays(validatePolicy(withField({ operationStartDeclarationDays: 0 }))),
      ).toBe(0);
      expect(
        operationStartDeclarationDays(validatePolicy(withField({ operationStartDeclarationDays: 30 }))),
      ).toBe(30);
    });

    it.each([[-1], [1.5], ['15'], [null]])('refuses %p, naming the field', (days) => {
      expect(inputErrorField(() => validatePolicy(withField({ operationStartDeclarationDays: days })))).toBe(
        'policy.operationStartDeclarationDays',
      );
    });
  });

  it('checks the annual-report day against a common year when publishing (02-29 is not a day of 2027)', () => {
    expect(refusal(withField({ annualReportDueMonthDay: '02-29' }))).toMatchObject({
      message: expect.stringContaining('02-29 is not one of 2027'),
    });
    expect(validatePolicy(withField({ annualReportDueMonthDay: '02-29' })).annualReportDueMonthDay).toBe(
      '02-29',
    );
    expect(inputErrorField(() => validatePolicy(withField({ annualReportDueMonthDay: '02-30' })))).toBe(
      'policy.annualReportDueMonthDay',
    );
  });
});
