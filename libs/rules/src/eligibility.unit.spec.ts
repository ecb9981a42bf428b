import fc from 'fast-check';
import eligibleApplication from '../examples/eligible-application.json';
import severalFailing from '../examples/ineligible-several-criteria.json';
import { decisionToJson } from './decision';
import { decideEligibility } from './eligibility';
import { inputErrorField } from './input-error-field.spec-helper';
import { defaultPolicy } from './policy/policy-registry';

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
    expect(d.reasons).toHaveLength(9);
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
      rulesetVersion: 'rules-2026.2',
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
