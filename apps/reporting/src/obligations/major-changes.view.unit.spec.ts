import { creditCodeCheckChar } from '@nqpf/rules';
import type { Actor } from '@nqpf/contracts';
import { foldEvents } from '@nqpf/domain';
import { eligibleFacts } from '../domain/obligations/eligible-facts.fixture';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import { CENTER, history, open, policy } from '../domain/obligations/obligations.spec-helper';
import type {
  ObligationsCommand,
  ObligationsEvent,
  OpenObligations,
} from '../domain/obligations/obligations.types';
import { majorChangesView } from './major-changes.view';

const change = (
  changeId: string,
  changes: string[],
  newFacts: Record<string, unknown>,
  effectiveOn: string,
  today: string,
  description = '书面报告',
): ObligationsCommand => ({
  kind: 'report-major-change',
  changeId,
  changes,
  description,
  effectiveOn,
  newFacts,
  today,
  policy,
});

const OPERATOR: Actor = { id: 'op-staff-1', role: 'operator', centerId: CENTER };
const SYSTEM: Actor = { id: 'reporting', role: 'system' };
/** As the store returns them: each event with the actor recorded — the operator's staff for a change. */
const stored = (events: ObligationsEvent[]) =>
  events.map((e) => ({ ...e, actor: e.type.startsWith('reporting.major-change') ? OPERATOR : SYSTEM }));
const stateOf = (events: ObligationsEvent[]) => foldEvents(obligationsDecider, events) as OpenObligations;

const NEW_OPERATOR = {
  name: '长春新运营有限公司',
  creditCode: `91220102MA15BCDE4${creditCodeCheckChar('91220102MA15BCDE4')}`,
};

describe("reporting's list of a center's major changes (A16)", () => {
  // Reported out of effective order; z and k effective on the same day, k reported last.
  const events = history(
    open('2026-03-10', eligibleFacts),
    change('z', ['operator_changed'], { operator: NEW_OPERATOR }, '2027-04-01', '2027-04-03', '运营主体变更'),
    change('a', ['direction_changed'], {}, '2027-02-01', '2027-04-05', '业务方向调整'),
    change('k', ['area_changed'], { premises: { buildingAreaM2: '4800.00' } }, '2027-04-01', '2027-04-10'),
  );
  const view = () => majorChangesView(CENTER, stored(events), events.length);

  it('lists each change as reported, by effective day then in the order reported, with who reported it', () => {
    expect(view().majorChanges.map((c) => c.changeId)).toEqual(['a', 'z', 'k']);
    expect(view().majorChanges[1]).toMatchObject({
      changeId: 'z',
      changes: ['operator_changed'],
      description: '运营主体变更',
      effectiveOn: '2027-04-01',
      reportedOn: '2027-04-03',
      newFacts: { operator: NEW_OPERATOR },
      reportedBy: OPERATOR,
    });
    expect(view()).toMatchObject({ centerId: CENTER, version: events.length });
  });

  it("gives each its re-check as recorded: outcome and reasons, and the decision's rule and versions without its inputs", () => {
    const shrunk = view().majorChanges[2]!;
    const recorded = events.findLast((e) => e.type === 'reporting.major-change-evaluated')!
      .payload as Extract<ObligationsEvent, { type: 'reporting.major-change-evaluated' }>['payload'];
    expect(shrunk.evaluation).toEqual({
      evaluatedOn: '2027-04-10',
      stillEligible: false,
      failed: ['A6.1:buildingArea'],
      decision: {
        rule: 'major-change',
        rulesetVersion: recorded.decision.rulesetVersion,
        policyVersion: policy.version,
        outcome: recorded.decision.outcome,
        reasons: recorded.decision.reasons,
      },
    });
    expect(shrunk.evaluation!.decision.outcome).toMatchObject({ stillEligible: false, revoke: true });
    expect(shrunk.evaluation!.decision.reasons).toContainEqual(
      expect.objectContaining({ ruleId: 'A6.1', passed: false }),
    );
    expect(shrunk.evaluation!.decision).not.toHaveProperty('inputs');
  });

  it('agrees with the obligations on whether each change left the center eligible', () => {
    const { majorChanges } = stateOf(events);
    expect(
      Object.fromEntries(
        view().majorChanges.map((c) => [c.changeId, { stillEligible: c.evaluation!.stillEligible }]),
      ),
    ).toEqual(majorChanges);
  });

  it('lists none for a center that reported none', () => {
    const opened = history(open('2026-03-10', eligibleFacts));
    expect(majorChangesView(CENTER, stored(opened), opened.length)).toEqual({
      centerId: CENTER,
      majorChanges: [],
      version: opened.length,
    });
  });

  it('shows a change whose re-check the stream does not hold with evaluation null', () => {
    const reportedOnly = events.filter(
      (e) => !(e.type === 'reporting.major-change-evaluated' && e.payload.changeId === 'a'),
    );
    const listed = majorChangesView(CENTER, stored(reportedOnly), reportedOnly.length).majorChanges;
    expect(listed.map((c) => [c.changeId, c.evaluation === null])).toEqual([
      ['a', true],
      ['z', false],
      ['k', false],
    ]);
  });
});
