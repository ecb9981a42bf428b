import { IllegalTransitionError, InvalidInputError } from '@nqpf/domain';
import { creditCodeCheckChar, DEFAULT_POLICY, validatePolicy } from '@nqpf/rules';
import { eligibleFacts } from './eligible-facts.fixture';
import { factsOn } from '@nqpf/domain';
import { ObligationsCommand, ObligationsState } from './obligations.types';
import { fieldOf, given, history, open, policy } from './obligations.spec-helper';

const change = (
  changeId: string,
  changes: string[],
  newFacts: Record<string, unknown>,
): ObligationsCommand => ({
  kind: 'report-major-change',
  changeId,
  changes,
  description: '书面报告',
  effectiveOn: '2027-04-01',
  newFacts,
  today: '2027-04-03',
  policy,
});

/** The facts now: the recognised ones with every change, in effective order. */
const factsNow = (state: ObligationsState) =>
  state.status === 'none' ? null : factsOn(state.recognizedFacts, state.factChanges);

const NEW_OPERATOR_CODE = `91220102MA15BCDE4${creditCodeCheckChar('91220102MA15BCDE4')}`;

describe('obligations: major changes re-checked against art. 6 (A16)', () => {
  const opened = history(open('2026-03-10', eligibleFacts));

  it('finds a center whose area shrinks to 4800 m² no longer eligible, naming A6.1', () => {
    const events = given(opened).when(
      change('mc1', ['area_changed'], { premises: { buildingAreaM2: '4800.00' } }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'reporting.major-change-reported',
      'reporting.major-change-evaluated',
    ]);
    expect(events[1]!.payload).toMatchObject({
      changeId: 'mc1',
      stillEligible: false,
      failed: ['A6.1:buildingArea'],
      evaluatedOn: '2027-04-03',
      decision: { rule: 'major-change', outcome: { stillEligible: false, revoke: true } },
    });
  });

  it('finds a center with a new operating entity that still qualifies still eligible', () => {
    const events = given(opened).when(
      change('mc2', ['operator_changed'], {
        operator: { name: '长春新运营有限公司', creditCode: NEW_OPERATOR_CODE },
      }),
    );
    expect(events[1]!.payload).toMatchObject({ stillEligible: true, failed: [] });
  });

  it('re-checks each later change on the facts as changed before', () => {
    const first = history(
      open('2026-03-10', eligibleFacts),
      change('mc1', ['area_changed'], { premises: { buildingAreaM2: '5000.00' } }),
    );
    const events = given(first).when(
      change('mc2', ['direction_changed'], { services: ['technology_trading'] }),
    );
    expect(events[1]!.payload).toMatchObject({ stillEligible: false, failed: ['A6.2:services'] });
    expect(factsNow(given(first).state)).toMatchObject({ premises: { buildingAreaM2: '5000.00' } });
  });

  it('judges a change against a change effective on the same day', () => {
    const sameDay = history(
      open('2026-03-10', eligibleFacts),
      change('mc1', ['area_changed'], { premises: { buildingAreaM2: '5000.00' } }),
    );
    const [, evaluated] = given(sameDay).when(change('mc2', ['direction_changed'], {}));
    expect(evaluated!.payload).toMatchObject({
      decision: { inputs: { factsBeforeChange: { premises: { buildingAreaM2: '5000.00' } } } },
    });
  });

  it('keeps a center whose area grew though a policy raised since asks for more institutions (A16: 因变更导致)', () => {
    const raised = validatePolicy({
      ...DEFAULT_POLICY,
      version: 'policy-2027.1',
      effectiveFrom: '2027-01-01',
      minInstitutions: eligibleFacts.institutions.length + 2,
    });
    const grew = {
      ...change('mc1', ['area_changed'], { premises: { buildingAreaM2: '8000.00' } }),
      policy: raised,
    };
    const [, evaluated] = given(opened).when(grew as ObligationsCommand);
    expect(evaluated!.payload).toMatchObject({ stillEligible: true, failed: [] });
    expect(evaluated!.payload).toMatchObject({
      decision: {
        inputs: {
          factsBeforeChange: { premises: { buildingAreaM2: eligibleFacts.premises.buildingAreaM2 } },
        },
      },
    });
  });

  it('checks a change reported late against the facts as they stood on its effective day, not a later change', () => {
    const raised = validatePolicy({
      ...DEFAULT_POLICY,
      version: 'policy-2027.1',
      effectiveFrom: '2027-01-01',
      minAreaM2: '5500.00',
    });
    const on = (changeId: string, changes: string[], area: string, effectiveOn: string, today: string) =>
      ({
        ...change(changeId, changes, { premises: { buildingAreaM2: area } }),
        effectiveOn,
        today,
        policy: raised,
      }) as ObligationsCommand;
    const laterFirst = history(
      open('2026-03-10', eligibleFacts),
      on('y', ['area_changed'], '5600.00', '2027-06-01', '2027-06-05'),
    );
    const [, evaluated] = given(laterFirst).when(
      on('x', ['investor_ended_cooperation'], '5300.00', '2027-05-01', '2027-07-01'),
    );
    // Judged against the recognised 5200 m² (failing the raised policy already, above the measures' 5000).
    expect(evaluated!.payload).toMatchObject({
      stillEligible: true,
      failed: [],
      decision: { inputs: { factsBeforeChange: { premises: { buildingAreaM2: '5200.00' } } } },
    });
    const both = history(
      open('2026-03-10', eligibleFacts),
      on('y', ['area_changed'], '5600.00', '2027-06-01', '2027-06-05'),
      on('x', ['investor_ended_cooperation'], '5300.00', '2027-05-01', '2027-07-01'),
    );
    // The change in force last stays the facts a next change is checked against.
    expect(factsNow(given(both).state)).toMatchObject({ premises: { buildingAreaM2: '5600.00' } });
  });

  it('takes a change of business direction alone with no new facts, re-checking the facts as they stand', () => {
    const events = given(opened).when(change('mc1', ['direction_changed'], {}));
    expect(events[1]!.payload).toMatchObject({ stillEligible: true, failed: [] });
    expect(fieldOf(() => given(opened).when(change('mc2', ['area_changed'], {})))).toBe(
      'newFacts.premises.buildingAreaM2',
    );
  });

  it('needs the full facts when the recognition brought none, naming the missing one', () => {
    const bare = history(open('2026-03-10'));
    expect(
      fieldOf(() =>
        given(bare).when(change('mc1', ['area_changed'], { premises: { buildingAreaM2: '4800' } })),
      ),
    ).toBe('newFacts.services');
    const full = { ...eligibleFacts, premises: { buildingAreaM2: '4800' } };
    expect(given(bare).when(change('mc1', ['area_changed'], full))[1]!.payload).toMatchObject({
      stillEligible: false,
    });
  });

  it('takes a report that completes facts the recognition brought in part, comparing with nothing before', () => {
    const { strategicCooperations, ...partial } = eligibleFacts;
    const opened = history(open('2026-03-10', partial));
    const [, evaluated] = given(opened).when(change('mc1', ['direction_changed'], { strategicCooperations }));
    expect(evaluated!.payload).toMatchObject({ stillEligible: true, failed: [] });
    expect(evaluated!.payload).not.toHaveProperty('decision.inputs.factsBeforeChange');
  });

  it('refuses the same change id twice', () => {
    const reported = history(
      open('2026-03-10', eligibleFacts),
      change('mc1', ['area_changed'], { premises: { buildingAreaM2: '6000' } }),
    );
    expect(() =>
      given(reported).when(change('mc1', ['area_changed'], { premises: { buildingAreaM2: '6000' } })),
    ).toThrow(IllegalTransitionError);
  });

  it('refuses the same change sent again under a new id, naming the first; another day is another change', () => {
    const area = { premises: { buildingAreaM2: '6000' } };
    const reported = history(open('2026-03-10', eligibleFacts), change('mc1', ['area_changed'], area));
    expect(() => given(reported).when(change('mc2', ['area_changed'], area))).toThrow(
      'the same change (kinds, effective day and facts) reported as mc1',
    );
    // The area is recorded as intake records one, two places: "6000.00" is the same change.
    expect(reported.find((e) => e.type === 'reporting.major-change-reported')!.payload).toMatchObject({
      newFacts: { premises: { buildingAreaM2: '6000.00' } },
    });
    const written = change('mc2', ['area_changed'], { premises: { buildingAreaM2: '06000.0' } });
    expect(() => given(reported).when(written)).toThrow('reported as mc1');
    const later = { ...change('mc3', ['area_changed'], area), effectiveOn: '2027-04-02' };
    expect(
      given(reported)
        .when(later)
        .map((e) => e.type),
    ).toEqual(['reporting.major-change-reported', 'reporting.major-change-evaluated']);
  });

  it.each([
    ['changes', { changes: [] }],
    ['changes[0]', { changes: ['renamed'] }],
    // Nothing reported: the fact the kind must report is named, else the object.
    ['newFacts.premises.buildingAreaM2', { newFacts: {} }],
    ['newFacts.operator.name', { changes: ['direction_changed', 'operator_changed'], newFacts: {} }],
    ['newFacts.premises.buildingAreaM2', { newFacts: { premises: { buildingAreaM2: 'big' } } }],
    ['newFacts.team.staffInPost', { newFacts: { team: { staffInPost: Infinity } } }],
    ['newFacts.premises.buildingAreaM2', { newFacts: { premises: { buildingAreaM2: [Infinity] } } }],
    ['newFacts.operator.name', { newFacts: { operator: { name: [Infinity] } } }],
    ['newFacts.services[0]', { newFacts: { services: [{ x: -Infinity }] } }],
    // A misspelt code would count as the named service missing, and A16 revokes for good.
    ['newFacts.services[1]', { newFacts: { services: ['technology_trading', 'legal_service'] } }],
    ['newFacts.functions[0]', { newFacts: { functions: ['dispaly'] } }],
    [
      'newFacts.functionTags[0]',
      { newFacts: { premises: { buildingAreaM2: '6000.00' }, functionTags: [Number.NaN] } },
    ],
    ['effectiveOn', { effectiveOn: '2027-04-04' }],
    ['description', { description: '' }],
  ])('names the bad field %s', (field, patch) => {
    const command = {
      ...change('mc9', ['area_changed'], { premises: { buildingAreaM2: '6000' } }),
      ...patch,
    };
    expect(fieldOf(() => given(opened).when(command as never))).toBe(field);
  });
});

describe('obligations: the facts a major change reports (A16) are read strictly', () => {
  const opened = history(open('2026-03-10', eligibleFacts));
  const bare = history(open('2026-03-10'));
  const errorOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as { field?: string; message: string };
    }
    throw new Error('expected an error');
  };

  // JSON.parse reads 4999.9999999999999 as 5000: as a number, an area under 5000 m² would pass A6.1.
  it.each([
    ['a JSON number rounded when read', JSON.parse('4999.9999999999999') as number],
    ['a whole JSON number', 4800],
    ['a JSON number with decimals', 4800.5],
    ['three decimals', '4999.999'],
    ['a sign', '-4800'],
    ['an exponent', '4.8e3'],
    ['null', null],
  ])('refuses an area given as %s, naming it with A6.1, as intake does', (_, area) => {
    const error = errorOf(() =>
      given(opened).when(change('mc1', ['area_changed'], { premises: { buildingAreaM2: area } })),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('newFacts.premises.buildingAreaM2');
    expect(error.message).toContain('A6.1: must be a decimal string of m² with up to two places');
  });

  it.each([
    ['4800', '4800.00'],
    ['4800.5', '4800.50'],
    ['4800.50', '4800.50'],
    ['0.01', '0.01'],
  ])('takes the area %s, recorded as %s (two places, as intake)', (area, recorded) => {
    const [reported] = given(opened).when(
      change('mc1', ['area_changed'], { premises: { buildingAreaM2: area } }),
    );
    expect(reported!.payload).toMatchObject({ newFacts: { premises: { buildingAreaM2: recorded } } });
  });

  it('refuses facts without the brokers when there is no baseline, instead of counting 0 brokers', () => {
    const { team: _team, ...rest } = eligibleFacts;
    const error = errorOf(() =>
      given(bare).when(change('mc1', ['area_changed'], { ...rest, team: { staffInPost: 12 } })),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('newFacts.team.brokers');
    expect(error.message).toContain('A6.4');
  });

  it('refuses facts without the operating entity when there is no baseline', () => {
    const { operator: _operator, ...rest } = eligibleFacts;
    const error = errorOf(() => given(bare).when(change('mc1', ['area_changed'], rest)));
    expect(error.field).toBe('newFacts.operator');
    expect(error.message).toContain('A6.4');
  });

  it('names each broker level that is missing rather than taking it as 0', () => {
    const team = { staffInPost: 10, brokers: { intermediate: 3, senior: 2 } };
    expect(fieldOf(() => given(bare).when(change('mc1', ['area_changed'], { ...eligibleFacts, team })))).toBe(
      'newFacts.team.brokers.junior',
    );
  });

  it('merges a group field by field: a new staff count keeps the recognised brokers', () => {
    const events = given(opened).when(change('mc1', ['direction_changed'], { team: { staffInPost: 8 } }));
    expect(events[1]!.payload).toMatchObject({ stillEligible: false, failed: ['A6.4:staffInPost'] });
    expect(events[1]!.payload).toMatchObject({
      decision: {
        inputs: {
          factsAfterChange: {
            team: { staffInPost: 8, brokers: { junior: 2, intermediate: 3, senior: 2 } },
          },
        },
      },
    });
    expect(factsNow(given([...opened, ...events]).state)).toMatchObject({
      team: { staffInPost: 8, brokers: { junior: 2, intermediate: 3, senior: 2 } },
    });
  });

  it('merges the broker levels one by one', () => {
    const events = given(opened).when(
      change('mc1', ['direction_changed'], { team: { staffInPost: 12, brokers: { senior: 3 } } }),
    );
    // 3 intermediate (kept) + 3 senior = 6 of 12 staff = 50 %.
    expect(events[1]!.payload).toMatchObject({ stillEligible: true, failed: [] });
  });

  it.each([
    ['newFacts.foo', { foo: 1 }],
    ['newFacts.constructor', { constructor: 1 }],
    ['newFacts.__proto__', JSON.parse('{"__proto__": {"x": 1}}')],
    ['newFacts.team.toString', { team: { toString: 1 } }],
    ['newFacts.team.staff', { team: { staff: 12 } }],
    ['newFacts.team.brokers.expert', { team: { brokers: { expert: 1 } } }],
    ['newFacts.premises.area', { premises: { buildingAreaM2: '6000', area: 1 } }],
    [
      'newFacts.institutions[0].city',
      { institutions: [{ name: '吉林大学', kind: 'university', city: '长春' }] },
    ],
    ['newFacts.team', { team: 12 }],
    ['newFacts.services', { services: 'legal_services' }],
  ])('refuses an unknown or misshapen fact, naming %s', (field, newFacts) => {
    const error = errorOf(() => given(opened).when(change('mc1', ['direction_changed'], newFacts)));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/A16|A6\.\d/);
  });

  it('refuses an operating entity with an invalid credit code as bad input, not as a failed A6.4', () => {
    const error = errorOf(() =>
      given(opened).when(
        change('mc1', ['operator_changed'], {
          operator: { name: '长春新运营有限公司', creditCode: '91220102MA15BCDE40' },
        }),
      ),
    );
    expect(error.field).toBe('newFacts.operator.creditCode');
    expect(error.message).toContain('A6.4');
  });

  it('needs the new area with area_changed and the new entity, name and code, with operator_changed', () => {
    expect(
      fieldOf(() => given(opened).when(change('mc1', ['area_changed'], { team: { staffInPost: 12 } }))),
    ).toBe('newFacts.premises');
    expect(
      fieldOf(() =>
        given(opened).when(change('mc1', ['operator_changed'], { operator: { name: '长春新运营有限公司' } })),
      ),
    ).toBe('newFacts.operator.creditCode');
  });

  it('needs the premises with investor_ended_cooperation: never checked on the area the owner withdrew', () => {
    expect(
      fieldOf(() =>
        given(opened).when(change('mc1', ['investor_ended_cooperation'], { functionTags: ['x'] })),
      ),
    ).toBe('newFacts.premises');
  });

  it('takes an activity period whole and forwards: a typing slip is a 400, never a revocation', () => {
    const activities = (a: Record<string, unknown>) => () =>
      given(opened).when(change('mc1', ['direction_changed'], { activities: a }));
    // One end kept from the recognised 2025-03-01..2026-02-28 would make a period of 25 months.
    expect(fieldOf(activities({ count: 130, periodTo: '2027-03-31' }))).toBe(
      'newFacts.activities.periodFrom',
    );
    expect(fieldOf(activities({ count: 130, periodFrom: '2026-01-01', periodTo: '2025-01-01' }))).toBe(
      'newFacts.activities.periodTo',
    );
    expect(fieldOf(activities({ count: 130, periodFrom: '2026-04-01', periodTo: '2027-04-01' }))).toBe(
      'newFacts.activities.periodTo',
    );
    const [, evaluated] = activities({ count: 130, periodFrom: '2026-04-01', periodTo: '2027-03-31' })();
    expect(evaluated!.payload).toMatchObject({ stillEligible: true });
  });

  it('refuses an effective date before recognition, accepts the recognition day', () => {
    const on = (effectiveOn: string) => ({
      ...change('mc1', ['area_changed'], { premises: { buildingAreaM2: '6000' } }),
      effectiveOn,
    });
    expect(fieldOf(() => given(opened).when(on('2020-01-01')))).toBe('effectiveOn');
    expect(fieldOf(() => given(opened).when(on('2026-03-09')))).toBe('effectiveOn');
    expect(given(opened).when(on('2026-03-10'))).toHaveLength(2);
  });

  it('requires the facts a baseline lacks', () => {
    const { operator: _operator, ...withoutOperator } = eligibleFacts;
    const partial = history(open('2026-03-10', withoutOperator));
    expect(
      fieldOf(() =>
        given(partial).when(change('mc1', ['area_changed'], { premises: { buildingAreaM2: '6000' } })),
      ),
    ).toBe('newFacts.operator');
  });
});

describe("obligations: a major change's facts are held to intake's rules for each field (A16)", () => {
  const opened = history(open('2026-03-10', eligibleFacts));
  const report = (newFacts: Record<string, unknown>, changes = ['direction_changed']) =>
    given(opened).when(change('mc1', changes, newFacts));
  const errorOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as InvalidInputError;
    }
    throw new Error('expected an error');
  };
  const institution = { name: '吉林大学', kind: 'university' };

  it.each([
    ['newFacts.operator.name', 'A6.4', { operator: { name: '长'.repeat(201) } }],
    ['newFacts.operator.name', 'A6.4', { operator: { name: '长春\u202E司公限有' } }],
    ['newFacts.operator.creditCode', 'A6.4', { operator: { creditCode: '2026-02-30' } }],
    [
      'newFacts.institutions[1].name',
      'A6.3',
      { institutions: [institution, { ...institution, name: 'x'.repeat(30_000) }] },
    ],
    ['newFacts.institutions[0].name', 'A6.3', { institutions: [{ ...institution, name: '\u202E\u200B' }] }],
    [
      'newFacts.institutions[0].creditCode',
      'A6.3',
      { institutions: [{ ...institution, creditCode: 'not-a-code' }] },
    ],
    ['newFacts.institutions[0].kind', 'A6.3', { institutions: [{ ...institution, kind: 'school' }] }],
    ['newFacts.institutions[0].kind', 'A6.3', { institutions: [{ name: '吉林大学' }] }],
    [
      'newFacts.strategicCooperations[0].partner',
      'A6.3',
      { strategicCooperations: [{ partner: 'p'.repeat(201), level: 'city' }] },
    ],
    [
      'newFacts.strategicCooperations[0].level',
      'A6.3',
      { strategicCooperations: [{ partner: '长春市科学技术局', level: 'county' }] },
    ],
    ['newFacts.services[5]', 'A6.2', { services: [...eligibleFacts.services, 's'.repeat(101)] }],
    ['newFacts.functions[0]', 'A6.2', { functions: ['\u200B'] }],
    ['newFacts.functionTags[0]', 'A3', { functionTags: ['t'.repeat(5_000)] }],
  ])('refuses %s (%s) as intake does, naming the field and the rule', (field, rule, newFacts) => {
    const error = errorOf(() => report(newFacts));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.problem.startsWith(`${rule}: `)).toBe(true);
    expect(error.message.length).toBeLessThan(300);
  });

  it('records the facts as intake does: names trimmed, codes normalised, terms once', () => {
    const [reported] = report(
      {
        operator: { name: ' 长春新运营有限公司 ', creditCode: ` ${NEW_OPERATOR_CODE.toLowerCase()} ` },
        institutions: [{ ...institution, creditCode: '' }, ...eligibleFacts.institutions.slice(1)],
        functionTags: ['产业创新赋能', '产业创新赋能'],
      },
      ['operator_changed'],
    );
    const { newFacts } = reported!.payload as { newFacts: Record<string, unknown> };
    expect(newFacts.operator).toEqual({ name: '长春新运营有限公司', creditCode: NEW_OPERATOR_CODE });
    expect((newFacts.institutions as unknown[])[0]).toEqual(institution);
    expect(newFacts.functionTags).toEqual(['产业创新赋能']);
  });
});
