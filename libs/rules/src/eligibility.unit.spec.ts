import fc from 'fast-check';
import eligibleApplication from '../examples/eligible-application.json';
import severalFailing from '../examples/ineligible-several-criteria.json';
import { FUNCTIONS, misspeltCode, SERVICES } from './catalogue';
import { decisionToJson } from './decision';
import { decideEligibility } from './eligibility';
import { inputErrorField } from './input-error-field.spec-helper';
import { CalendarRegistry } from './calendar/calendar-registry';
import { DEFAULT_POLICY } from './policy/default-policy';
import { defaultPolicy, PolicyRegistry } from './policy/policy-registry';
import { validatePolicy } from './policy/validate-policy';
import { replayDecision, replayMatches } from './replay';
import { RULESET_VERSION } from './version';

type App = typeof eligibleApplication & Record<string, unknown>;
const app = (change: (a: App) => void = () => undefined): App => {
  const a = structuredClone(eligibleApplication) as App;
  change(a);
  return a;
};
const decide = (a: unknown) => decideEligibility(a, defaultPolicy);
const extraInstitution = (i: number) => ({ name: `长春测试企业${i}有限公司`, kind: 'enterprise' });

describe('eligibility (A6)', () => {
  it.each([
    ['1: area 5000.00 m², all else passing', app(), true, []],
    ['2: area 4999.99 m²', app((a) => (a.premises.buildingAreaM2 = '4999.99')), false, ['A6.1:buildingArea']],
    [
      'A6.1 just above: 5000.01 as a number',
      app((a) => ((a.premises as { buildingAreaM2: unknown }).buildingAreaM2 = 5000.01)),
      true,
      [],
    ],
    [
      '3: staff 10, brokers 5 (50% ≥ 50%)',
      app((a) => (a.team = { staffInPost: 10, brokers: { junior: 0, intermediate: 5, senior: 0 } })),
      true,
      [],
    ],
    [
      '4: staff 9, brokers 9',
      app((a) => (a.team = { staffInPost: 9, brokers: { junior: 0, intermediate: 9, senior: 0 } })),
      false,
      ['A6.4:staffInPost'],
    ],
    [
      'A6.4 staff 11, brokers 5 (5/11 just below half)',
      app((a) => (a.team = { staffInPost: 11, brokers: { junior: 0, intermediate: 3, senior: 2 } })),
      false,
      ['A6.4:brokerShare'],
    ],
    [
      'A6.4 staff 11, brokers 6 (just above half)',
      app((a) => (a.team = { staffInPost: 11, brokers: { junior: 0, intermediate: 3, senior: 3 } })),
      true,
      [],
    ],
    [
      'A6.4 junior brokers do not count',
      app((a) => (a.team = { staffInPost: 10, brokers: { junior: 6, intermediate: 4, senior: 0 } })),
      false,
      ['A6.4:brokerShare'],
    ],
    [
      '5: 10 institutions, one listed twice',
      app((a) => (a.institutions[9] = { ...a.institutions[0] })),
      false,
      ['A6.3:institutions'],
    ],
    [
      'A6.3 same name in other width and spacing counts once',
      app((a) => (a.institutions[9] = { name: ' 长春理工 大学 ', kind: 'university' })),
      false,
      ['A6.3:institutions'],
    ],
    [
      'A6.3 a kind that does not count',
      app((a) => (a.institutions[9] = { name: '长春市某行业协会', kind: 'other' })),
      false,
      ['A6.3:institutions'],
    ],
    [
      'A6.3 eleven distinct institutions',
      app((a) => a.institutions.push(extraInstitution(1) as never)),
      true,
      [],
    ],
    [
      'A6.3 no strategic cooperation',
      app((a) => (a.strategicCooperations = [])),
      false,
      ['A6.3:strategicCooperation'],
    ],
    ['6: activities 99', app((a) => (a.activities.count = 99)), false, ['A6.5:activities']],
    ['A6.5 activities 101', app((a) => (a.activities.count = 101)), true, []],
    [
      '7: services lack legal services',
      app((a) => (a.services = a.services.filter((s) => s !== 'legal_services'))),
      false,
      ['A6.2:services'],
    ],
    [
      'A6.2 services named in Chinese',
      app((a) => (a.services = ['技术交易', '知识产权', '金融对接', '人才服务', '法律服务'])),
      true,
      [],
    ],
    [
      'A6.2 a missing function',
      app((a) => (a.functions = ['display', 'interaction', 'trading'])),
      false,
      ['A6.2:functions'],
    ],
    [
      'A6.4 operator without credit code',
      app((a) => (a.operator = { name: 'X' } as never)),
      false,
      ['A6.4:operator'],
    ],
    [
      'A6.4 operator with a wrong check character',
      app((a) => (a.operator.creditCode = '91220101MA14ABCD0X')),
      false,
      ['A6.4:operator'],
    ],
    ['A6.4 no operator', app((a) => delete (a as Partial<App>).operator), false, ['A6.4:operator']],
  ])('case %s', (_name, input, eligible, failed) => {
    const d = decide(input);
    expect(d.outcome.eligible).toBe(eligible);
    expect(d.outcome.failed).toEqual(failed);
    expect(d.reasons).toHaveLength(10);
  });

  it('5: counts 9 distinct institutions when one of 10 is listed twice, naming the duplicate', () => {
    const d = decide(app((a) => (a.institutions[9] = { ...a.institutions[0] })));
    expect(d.outcome.institutions.distinct).toBe(9);
    expect(d.outcome.institutions.duplicates).toEqual([eligibleApplication.institutions[0]!.name]);
    expect(d.reasons.find((r) => r.criterion === 'institutions')).toMatchObject({
      measured: 9,
      threshold: '>= 10',
      passed: false,
    });
  });

  it('reports every failing criterion, not only the first', () => {
    const d = decide(severalFailing);
    expect(d.outcome.failed).toEqual([
      'A6.2:services',
      'A6.3:strategicCooperation',
      'A6.4:operator',
      'A6.5:activities',
    ]);
  });

  it('states the broker share as an exact fraction with its percentage, in both languages', () => {
    const d = decide(
      app((a) => (a.team = { staffInPost: 9, brokers: { junior: 0, intermediate: 4, senior: 0 } })),
    );
    const share = d.reasons.find((r) => r.criterion === 'brokerShare')!;
    expect(share).toMatchObject({
      ruleId: 'A6.4',
      measured: '4/9 = 44.4%',
      threshold: '>= 1/2 = 50%',
      passed: false,
    });
    expect(share.message.en).toContain('broker share 4/9 = 44.4% < 50%');
    expect(share.message.zh).toContain('中级及以上技术经纪人4人');
  });

  it('never shows a share below the minimum rounded up to it (rules-2026.7)', () => {
    const d = decide(
      app((a) => (a.team = { staffInPost: 1001, brokers: { junior: 0, intermediate: 500, senior: 0 } })),
    );
    const share = d.reasons.find((r) => r.criterion === 'brokerShare')!;
    expect(share).toMatchObject({ measured: '500/1001 = 49.9%', passed: false });
    expect(share.message.en).toContain('broker share 500/1001 = 49.9% < 50%');
    expect(replayMatches(d)).toBe(true);
    // Recorded under rules-2026.6, the share reads as it was recorded then.
    const old = decideEligibility(d.inputs, defaultPolicy, 'rules-2026.6');
    expect(old.reasons.find((r) => r.criterion === 'brokerShare')!.measured).toBe('500/1001 = 50%');
    expect(replayMatches(old)).toBe(true);
  });

  it('fails the broker share when there is no staff at all', () => {
    const d = decide(
      app((a) => (a.team = { staffInPost: 0, brokers: { junior: 0, intermediate: 0, senior: 0 } })),
    );
    expect(d.outcome.failed).toEqual(['A6.4:staffInPost', 'A6.4:brokerShare']);
  });

  it('records the versions, normalised inputs and gives byte-identical JSON for the same inputs', () => {
    const d = decide(app((a) => ((a.premises as { buildingAreaM2: unknown }).buildingAreaM2 = 5000)));
    expect(d).toMatchObject({
      rule: 'eligibility',
      rulesetVersion: RULESET_VERSION,
      policyVersion: 'policy-2026.1',
    });
    expect(d.inputs.premises.buildingAreaM2).toBe('5000.00');
    expect(decisionToJson(decide(app()))).toBe(decisionToJson(decide(app())));
    expect(decisionToJson(decide(d.inputs))).toBe(decisionToJson(d));
  });

  it.each([
    ['premises.buildingAreaM2', app((a) => (a.premises.buildingAreaM2 = '5000.001'))],
    [
      'premises.buildingAreaM2',
      app((a) => ((a.premises as { buildingAreaM2: unknown }).buildingAreaM2 = -1)),
    ],
    ['team.staffInPost', app((a) => ((a.team as { staffInPost: unknown }).staffInPost = '10'))],
    ['team.brokers', app((a) => (a.team.brokers.senior = 9))],
    ['team.brokers.expert', app((a) => ((a.team.brokers as Record<string, number>).expert = 1))],
    ['institutions[0].kind', app((a) => (a.institutions[0].kind = 'school'))],
    ['strategicCooperations[0].level', app((a) => (a.strategicCooperations[0].level = 'village'))],
    ['activities.count', app((a) => delete (a.activities as Partial<App['activities']>).count)],
    ['activities.periodTo', app((a) => (a.activities.periodTo = '2026-02-30'))],
    ['services[0]', app((a) => (a.services = ['']))],
    ['operator', app((a) => ((a as Record<string, unknown>).operator = 'X'))],
    ['input', null],
  ])('rejects invalid input naming the field %s', (field, input) => {
    expect(inputErrorField(() => decide(input))).toBe(field);
  });

  it('never turns eligible into ineligible with more area, brokers on staff, institutions or activities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10_000 }),
        (extraHundredths, extraBrokers, extraInstitutions, extraActivities) => {
          const more = app((a) => {
            a.premises.buildingAreaM2 = ((500_000 + extraHundredths) / 100).toFixed(2);
            a.team.staffInPost += extraBrokers;
            a.team.brokers.senior += extraBrokers;
            for (let i = 0; i < extraInstitutions; i++) a.institutions.push(extraInstitution(i) as never);
            a.activities.count += extraActivities;
          });
          return decide(more).outcome.eligible;
        },
      ),
    );
  });
});

describe('A6.3 institutions linked through a shared code or name (rules-2026.3)', () => {
  const jlu = { name: '吉林大学', kind: 'university' };
  const jluCode = '122200004123456787';
  // 8 distinct, then 吉林大学 listed without a code, with its code, and as 吉大 with the same code.
  const listed = app((a) => {
    a.institutions = [
      ...a.institutions.slice(1, 9),
      jlu,
      { ...jlu, creditCode: jluCode },
      { name: '吉大', kind: 'university', creditCode: jluCode },
    ] as never;
  });

  it('counts one institution for entries linked through a name and a code: 9, not 10', () => {
    const d = decide(listed);
    expect(d.outcome.institutions).toMatchObject({ distinct: 9, duplicates: ['吉林大学', '吉大'] });
    expect(d.outcome.failed).toEqual(['A6.3:institutions']);
  });

  it('counts one institution listed in other letter case and bracket width once (A6.3)', () => {
    // normaliseInstitutionName: case never distinguishes two institutions, nor full-width brackets.
    const abb = app((a) => {
      a.institutions = [
        ...a.institutions.slice(1, 9),
        { name: 'ABB(中国)有限公司', kind: 'enterprise' },
        { name: 'abb（中国）有限公司', kind: 'enterprise' },
      ] as never;
    });
    expect(decide(abb).outcome.institutions).toMatchObject({
      distinct: 9,
      duplicates: ['abb（中国）有限公司'],
    });
  });

  it('counts the same whatever order the entries are listed in', () => {
    const reordered = app((a) => (a.institutions = [...listed.institutions].reverse()));
    expect(decide(reordered).outcome.institutions.distinct).toBe(9);
  });

  it('treats the same normalised name as one institution even with two codes, and two names with one code', () => {
    const twoCodes = app((a) => {
      a.institutions = [
        ...a.institutions.slice(1, 9),
        { ...jlu, creditCode: jluCode },
        { name: ' 吉林 大学', kind: 'university', creditCode: '12220000999999999X' },
      ] as never;
    });
    expect(decide(twoCodes).outcome.institutions.distinct).toBe(9);
    // rules-2026.1 and .2 compared two entries by credit code where both had one: two codes, two institutions.
    for (const version of ['rules-2026.1', 'rules-2026.2'] as const)
      expect(decideEligibility(twoCodes, defaultPolicy, version).outcome).toMatchObject({
        eligible: true,
        institutions: { distinct: 10, duplicates: [] },
      });
  });

  it('replays a rules-2026.2 decision with the count it recorded (10, eligible)', () => {
    const old = decideEligibility(listed, defaultPolicy, 'rules-2026.2');
    expect(old.outcome).toMatchObject({ eligible: true, institutions: { distinct: 10 } });
    expect(replayMatches(JSON.parse(decisionToJson(old)))).toBe(true);
    expect(replayMatches({ ...old, rulesetVersion: 'rules-2026.3' })).toBe(false);
  });
});

describe('A6.2 the measures’ own word 成果展示 for the display function (rules-2026.5)', () => {
  const inMeasuresWords = app((a) => (a.functions = ['成果展示', '互动', '交易', '转化']));

  it('counts 成果展示 as display; a rules-2026.4 decision replays with it missing', () => {
    expect(decide(inMeasuresWords).outcome).toMatchObject({ eligible: true, failed: [] });
    const old = decideEligibility(inMeasuresWords, defaultPolicy, 'rules-2026.4');
    expect(old.outcome.failed).toEqual(['A6.2:functions']);
    expect(replayMatches(JSON.parse(decisionToJson(old)))).toBe(true);
    expect(replayMatches({ ...old, rulesetVersion: 'rules-2026.5' })).toBe(false);
  });

  it('takes no other word for a function: an Object.prototype member is a further function', () => {
    const d = decide(app((a) => (a.functions = ['constructor', '互动', '交易', '转化'])));
    expect(d.outcome.failed).toEqual(['A6.2:functions']);
  });

  it('finds a misspelt code, not a further service', () => {
    expect(misspeltCode(['technology_trading', 'legal_service'], SERVICES)).toEqual({
      at: 1,
      meant: 'legal_services',
    });
    expect(misspeltCode(['dispaly'], FUNCTIONS)).toEqual({ at: 0, meant: 'display' });
    expect(misspeltCode(['Trading'], FUNCTIONS)).toEqual({ at: 0, meant: 'trading' });
    const further = ['legal_services', '法律服务', '咨询服务', 'testing_certification', 'constructor'];
    expect(misspeltCode(further, SERVICES)).toBeUndefined();
    // A further function close to a code already listed is not a misspelling of it.
    const listed = ['display', 'interaction', 'trading', 'transformation', 'training'];
    expect(misspeltCode(listed, FUNCTIONS)).toBeUndefined();
    expect(misspeltCode(['display', 'training'], FUNCTIONS)).toEqual({ at: 1, meant: 'trading' });
  });
});

describe('A6.5 the declared activity period (rules-2026.3)', () => {
  const period = (periodFrom?: string, periodTo?: string) =>
    app((a) => {
      const activities: Record<string, unknown> = { count: 100 };
      if (periodFrom) activities.periodFrom = periodFrom;
      if (periodTo) activities.periodTo = periodTo;
      a.activities = activities as never;
    });

  it.each([
    ['reversed', '2026-02-28', '2025-03-01', '2026-02-28..2025-03-01', '2026-02-28..2027-02-27'],
    ['three years long', '2023-03-01', '2026-02-28', '2023-03-01..2026-02-28', '2023-03-01..2024-02-29'],
    ['one day over a year', '2025-03-01', '2026-03-01', '2025-03-01..2026-03-01', '2025-03-01..2026-02-28'],
    [
      'from 29 February to 28 February',
      '2024-02-29',
      '2025-02-28',
      '2024-02-29..2025-02-28',
      '2024-02-29..2025-02-27',
    ],
  ])('fails A6.5 for a period %s, stating it and the limit', (_name, from, to, measured, threshold) => {
    const d = decide(period(from, to));
    expect(d.outcome).toMatchObject({ eligible: false, failed: ['A6.5:activityPeriod'] });
    expect(d.reasons.find((r) => r.criterion === 'activityPeriod')).toMatchObject({
      ruleId: 'A6.5',
      measured,
      threshold,
      passed: false,
    });
  });

  it.each([
    ['2025-03-01', '2026-02-28'],
    ['2025-01-01', '2025-12-31'],
    ['2026-02-28', '2026-02-28'],
  ])('passes a period of at most 12 months, %s..%s', (from, to) => {
    const d = decide(period(from, to));
    expect(d.outcome.eligible).toBe(true);
    expect(d.reasons.find((r) => r.criterion === 'activityPeriod')?.passed).toBe(true);
  });

  it('checks nothing when no period (or only one end) is declared', () => {
    for (const input of [period(), period('2020-01-01'), period(undefined, '2020-01-01')]) {
      const d = decide(input);
      expect(d.outcome.eligible).toBe(true);
      expect(d.reasons.map((r) => r.criterion)).not.toContain('activityPeriod');
    }
  });

  it('replays a rules-2026.2 decision on a three-year period as it was decided then (eligible)', () => {
    const old = decideEligibility(period('2023-03-01', '2026-02-28'), defaultPolicy, 'rules-2026.2');
    expect(old.outcome.eligible).toBe(true);
    expect(old.reasons).toHaveLength(9);
    expect(replayMatches(JSON.parse(decisionToJson(old)))).toBe(true);
  });
});

describe('A6.3 strategic cooperations counted once per partner (rules-2026.4)', () => {
  const twice = app((a) => {
    a.strategicCooperations = [
      { partner: '吉林省科学技术厅', level: 'province' },
      { partner: ' 吉林省科学技术厅 ', level: 'province' },
    ];
  });
  const needsTwoRaw = { ...DEFAULT_POLICY, version: 'policy-2027.9', effectiveFrom: '2027-01-01' };
  const needsTwo = validatePolicy({ ...needsTwoRaw, minStrategicCooperations: 2 });

  it('counts the same cooperation listed twice once', () => {
    const d = decideEligibility(twice, needsTwo);
    expect(d.outcome.failed).toEqual(['A6.3:strategicCooperation']);
    expect(d.reasons.find((r) => r.criterion === 'strategicCooperation')).toMatchObject({ measured: 1 });
  });

  it('counts one partner listed at two levels once, and two partners as two', () => {
    const twoLevels = app((a) => {
      a.strategicCooperations = [
        { partner: '长春市科学技术局', level: 'city' },
        { partner: '长春市科学技术局', level: 'district' },
      ];
    });
    expect(decideEligibility(twoLevels, needsTwo).outcome.eligible).toBe(false);
    const twoPartners = app((a) => {
      a.strategicCooperations = [
        { partner: '长春市科学技术局', level: 'city' },
        { partner: '吉林省科学技术厅', level: 'province' },
      ];
    });
    expect(decideEligibility(twoPartners, needsTwo).outcome.eligible).toBe(true);
  });

  it('replays a rules-2026.3 decision with the count it recorded (2, eligible)', () => {
    const old = decideEligibility(twice, needsTwo, 'rules-2026.3');
    expect(old.outcome.eligible).toBe(true);
    const context = {
      policies: new PolicyRegistry([DEFAULT_POLICY, { ...needsTwoRaw, minStrategicCooperations: 2 }]),
      calendars: new CalendarRegistry(),
    };
    expect(replayMatches(JSON.parse(decisionToJson(old)), context)).toBe(true);
    expect(replayDecision({ ...old, rulesetVersion: 'rules-2026.4' }, context).outcome).toMatchObject({
      eligible: false,
    });
  });
});
