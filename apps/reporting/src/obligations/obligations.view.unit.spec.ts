import { foldEvents } from '@nqpf/domain';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import {
  CENTER,
  given,
  history,
  open,
  policy,
  quarterly,
  policyOn,
} from '../domain/obligations/obligations.spec-helper';
import type { ObligationsEvent, OpenObligations } from '../domain/obligations/obligations.types';
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
      policy,
      policyOn,
    });
    const owed = (events: typeof ended) => {
      const state = foldEvents(obligationsDecider, events) as OpenObligations;
      return obligationsView(state, events.length).reports.filter((r) => !r.filed && !r.overdue);
    };
    expect(owed(opened).length).toBeGreaterThan(0);
    expect(owed(ended)).toEqual([]);
  });

  it('shows a report filed late the same whether the deadline timer ran before the filing or not', () => {
    const deadline = {
      kind: 'pass-report-deadline',
      period: '2026-Q1',
      today: '2026-04-16',
      policy,
    } as const;
    const late = quarterly(2026, 1, '2026-04-20');
    const q1 = (...commands: Parameters<typeof history>) => {
      const events = history(...commands);
      const view = obligationsView(foldEvents(obligationsDecider, events) as OpenObligations, events.length);
      return view.reports.find((r) => r.period === '2026-Q1');
    };
    const timerFirst = q1(open('2026-03-10'), deadline, late);
    const filingFirst = q1(open('2026-03-10'), late, deadline);
    expect(timerFirst).toMatchObject({ state: 'filed_late', overdue: false, filed: true, late: true });
    expect(filingFirst).toEqual(timerFirst);
    expect(q1(open('2026-03-10'), deadline)).toMatchObject({ state: 'overdue', overdue: true, filed: false });
  });

  it('lists the reports of periods ended by the revocation day, due or overdue, whatever ran first, and none after', () => {
    const q1 = { kind: 'pass-report-deadline', period: '2026-Q1', today: '2026-04-16', policy } as const;
    const end = (endedOn: string) =>
      ({
        kind: 'end-obligations',
        centerId: CENTER,
        endedOn,
        ruleId: 'A16',
        reason: 'x',
        policy,
        policyOn,
      }) as const;
    const listed = (...commands: Parameters<typeof history>) => {
      const events = history(...commands);
      const view = obligationsView(foldEvents(obligationsDecider, events) as OpenObligations, events.length);
      return view.reports.map((r) => `${r.period}:${r.state}`);
    };
    // Revoked 2026-05-10: Q1 (due 04-15) stays overdue, whether its timer ran before the revocation or not.
    expect(listed(open('2026-03-10'), q1, end('2026-05-10'))).toEqual(['2026-Q1:overdue']);
    expect(listed(open('2026-03-10'), end('2026-05-10'))).toEqual(['2026-Q1:overdue']);
    // Revoked 2026-04-10, read after the timer marked Q1 overdue and scheduled Q2: Q1 ended before the
    // revocation day and is still owed; Q2 ended after it and is not.
    expect(listed(open('2026-03-10'), q1, end('2026-04-10'))).toEqual(['2026-Q1:overdue']);
    // Read before the timer: Q1 is owed, due on 04-15, after the revocation day; its deadline then passes.
    expect(listed(open('2026-03-10'), end('2026-04-10'))).toEqual(['2026-Q1:due']);
    expect(listed(open('2026-03-10'), end('2026-04-10'), q1)).toEqual(['2026-Q1:overdue']);
    expect(listed(open('2026-03-10'), end('2026-04-10'), quarterly(2026, 1, '2026-04-12'))).toEqual([
      '2026-Q1:filed',
    ]);
  });

  it('shows the A17.3a days the decider uses for obligations opened before they were recorded, not null', () => {
    const [first] = history(open('2026-03-10'));
    const {
      operatingDeadline: _deadline,
      startDeclarationsCloseOn: _close,
      ...older
    } = first!.payload as unknown as Record<string, unknown>;
    const withDeadlineOnly = { ...(first!.payload as object), startDeclarationsCloseOn: undefined };
    for (const payload of [older, withDeadlineOnly]) {
      const events = [{ ...first!, payload } as unknown as ObligationsEvent];
      const state = foldEvents(obligationsDecider, events) as OpenObligations;
      expect(state.startDeclarationsCloseOn).toBeNull();
      // The decider refuses a start declared the day after 2028-03-25 naming that day…
      let refused: { details?: Record<string, unknown> } = {};
      try {
        given(events).when({
          kind: 'declare-operation-start',
          startedOn: '2028-03-10',
          today: '2028-03-26',
          policy,
        });
      } catch (err) {
        refused = err as typeof refused;
      }
      expect(refused.details).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
      });
      // …and the view, given the recognition's policy, shows the same days.
      expect(obligationsView(state, events.length, policy)).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
      });
    }
  });
});
