import { foldEvents } from '@nqpf/domain';
import type { CandidacyCommand } from '../../domain/candidacy/candidacy.commands';
import { candidacyDecider } from '../../domain/candidacy/candidacy.decider';
import type { CandidacyEvent } from '../../domain/candidacy/candidacy.events';
import { accepted, eligibilityOf, expert, passingFacts } from '../../domain/candidacy/candidacy.fixtures';
import type { Candidacy } from '../../domain/candidacy/candidacy.state';
import { listSummaryOf } from './list-summary';

const AT = '2026-03-13T10:00:00+08:00';

function after(...commands: CandidacyCommand[]): Candidacy {
  const events = commands.reduce<CandidacyEvent[]>(
    (all, c) => [...all, ...candidacyDecider.decide(c, foldEvents(candidacyDecider, all))],
    [],
  );
  return foldEvents(candidacyDecider, events) as Candidacy;
}
const open = (facts = passingFacts()): CandidacyCommand => ({
  kind: 'open',
  accepted: accepted(facts),
  eligibilityDecision: eligibilityOf(facts),
  at: AT,
});
const assign = (id: string): CandidacyCommand => ({ kind: 'assign-expert', expert: expert(id), at: AT });
const review = (id: string, score: number): CandidacyCommand => ({
  kind: 'record-review',
  expert: expert(id),
  score,
  opinion: `${id} 的意见`,
  at: AT,
});

describe('the list summary each candidacy row keeps (A9.2)', () => {
  it('keeps the scores and verdicts of the experts assigned now, not what they wrote', () => {
    const state = after(open(), assign('e1'), assign('e2'), review('e1', 88), review('e2', 76), {
      kind: 'record-site-inspection',
      expert: expert('e2'),
      inspectedOn: '2026-03-13',
      satisfactory: false,
      finding: '展示区未运行',
      at: AT,
    });
    expect(listSummaryOf(state)).toEqual({
      eligibility: { eligible: true, ruleIds: [] },
      reviews: [
        { expertId: 'e1', score: 88 },
        { expertId: 'e2', score: 76 },
      ],
      inspections: [{ expertId: 'e2', inspectedOn: '2026-03-13', satisfactory: false }],
    });
    // An unassigned expert's review no longer counts, as on the candidacy.
    const withdrawn = after(open(), assign('e1'), assign('e2'), review('e1', 88), review('e2', 76), {
      kind: 'unassign-expert',
      expertId: 'e1',
      reason: '申报单位兼职',
      at: AT,
    });
    expect(listSummaryOf(withdrawn).reviews).toEqual([{ expertId: 'e2', score: 76 }]);
  });

  it('names the failed rules of an application refused as ineligible, and only then', () => {
    const small = { ...passingFacts(), premises: { buildingAreaM2: '4999.99' } };
    expect(listSummaryOf(after(open(small))).eligibility).toEqual({ eligible: false, ruleIds: ['A6.1'] });
    const opened = { ...after(open()), status: 'opened' as const };
    expect(listSummaryOf(opened).eligibility).toEqual({ eligible: null, ruleIds: [] });
    const rejectedOnObjection: Candidacy = {
      ...after(open()),
      status: 'rejected',
      rejection: { stage: 'objection', ruleIds: ['A9.4'], reasons: ['异议成立'] },
    };
    expect(listSummaryOf(rejectedOnObjection).eligibility).toEqual({ eligible: true, ruleIds: [] });
  });
});
