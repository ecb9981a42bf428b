import { IllegalTransitionError } from '@nqpf/domain';
import { creditCodeCheckChar } from '@nqpf/rules';
import { eligibleFacts } from './eligible-facts.fixture';
import { ObligationsCommand } from './obligations.types';
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
    expect(given(first).state).toMatchObject({ facts: { premises: { buildingAreaM2: '5000.00' } } });
  });

  it('needs the full facts when the recognition brought none, naming the missing one', () => {
    const bare = history(open('2026-03-10'));
    expect(
      fieldOf(() =>
        given(bare).when(change('mc1', ['area_changed'], { premises: { buildingAreaM2: '4800' } })),
      ),
    ).toMatch('newFacts.team');
    const full = { ...eligibleFacts, premises: { buildingAreaM2: '4800' } };
    expect(given(bare).when(change('mc1', ['area_changed'], full))[1]!.payload).toMatchObject({
      stillEligible: false,
    });
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

  it.each([
    ['changes', { changes: [] }],
    ['changes[0]', { changes: ['renamed'] }],
    ['newFacts', { newFacts: {} }],
    ['newFacts.premises.buildingAreaM2', { newFacts: { premises: { buildingAreaM2: 'big' } } }],
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
