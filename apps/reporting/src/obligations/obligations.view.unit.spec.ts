import { foldEvents } from '@nqpf/domain';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import { CENTER, history, open } from '../domain/obligations/obligations.spec-helper';
import type { OpenObligations } from '../domain/obligations/obligations.types';
import { obligationsView } from './obligations.view';

describe("reporting's view of a center's obligations", () => {
  it('lists no report as still owed after revocation, as the standing does', () => {
    const opened = history(open('2026-03-10'));
    const ended = history(open('2026-03-10'), {
      kind: 'end-obligations',
      centerId: CENTER,
      endedOn: '2026-05-10',
      ruleId: 'A16',
      reason: 'no-longer-eligible-after-major-change',
    });
    const owed = (events: typeof ended) => {
      const state = foldEvents(obligationsDecider, events) as OpenObligations;
      return obligationsView(state, events.length).reports.filter((r) => !r.filed && !r.overdue);
    };
    expect(owed(opened).length).toBeGreaterThan(0);
    expect(owed(ended)).toEqual([]);
  });
});
