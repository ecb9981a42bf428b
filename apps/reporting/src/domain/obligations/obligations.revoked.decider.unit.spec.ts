import { IllegalTransitionError } from '@nqpf/domain';
import {
  annual,
  CENTER,
  deadline,
  given,
  history,
  open,
  policy,
  policyOn,
  quarterly,
} from './obligations.spec-helper';
import type { ObligationsCommand, OpenObligations } from './obligations.types';

const end = (endedOn: string, ruleId = 'A16'): ObligationsCommand => ({
  kind: 'end-obligations',
  centerId: CENTER,
  endedOn,
  ruleId,
  reason: ruleId === 'A16' ? 'no-longer-eligible-after-major-change' : 'consecutive-unqualified',
  policy,
  policyOn,
});

describe('obligations after revocation (final)', () => {
  const revoked = history(open('2026-03-10'), end('2027-05-01'));

  it('refuses a report on a period that ended after the revocation day, naming the revocation', () => {
    expect(() => given(revoked).when(quarterly(2027, 2, '2027-07-01'))).toThrow(
      'cannot file quarterly report when center revoked on 2027-05-01 (A16); recognition is revoked for good',
    );
    expect(() => given(revoked).when(quarterly(2027, 2, '2027-07-01'))).toThrow('2027-Q2');
    expect(() => given(revoked).when(annual(2027, '2028-01-10'))).toThrow(IllegalTransitionError);
  });

  it('still accepts, late, a report on a period lived before the revocation (A14–A15: it may be filed late)', () => {
    const [filed] = given(revoked).when(annual(2026, '2027-06-01'));
    expect(filed).toMatchObject({
      type: 'reporting.report-filed',
      payload: { period: '2026', dueOn: '2027-01-31', late: true, revision: 1 },
    });
    const [q1] = given(revoked).when(quarterly(2027, 1, '2027-06-01'));
    expect(q1!.payload).toMatchObject({ period: '2027-Q1', dueOn: '2027-04-15', late: true });
    // A correction of it says why, as before the revocation.
    const corrected = given([...revoked, filed!]).when({
      ...(annual(2026, '2027-06-02') as Extract<ObligationsCommand, { kind: 'file-report' }>),
      content: { targetsMet: '完成', fundsUse: '房租费、设备购置', problems: '无', nextYearPlan: '无' },
      reason: '补充经费使用明细',
    });
    expect(corrected[0]).toMatchObject({ type: 'reporting.report-corrected', payload: { revision: 2 } });
  });

  it('refuses activities and operation starts', () => {
    expect(() =>
      given(revoked).when({
        kind: 'declare-operation-start',
        startedOn: '2027-05-02',
        today: '2027-05-02',
        policy,
      }),
    ).toThrow(IllegalTransitionError);
  });

  it('lets stored deadlines of periods already overdue, or ended after the revocation, fire without effect', () => {
    expect(given(revoked).when(deadline('2026-Q2', '2026-07-16'))).toEqual([]);
    expect(given(revoked).when(deadline('2027-Q2', '2027-07-16'))).toEqual([]);
  });

  it('keeps what was known for reads', () => {
    expect(given(revoked).state).toMatchObject({
      status: 'ended',
      recognizedOn: '2026-03-10',
      ended: { ruleId: 'A16' },
    });
  });

  describe('revoked in January, before the last year’s reports are due (A17.3b on 2029-01-20)', () => {
    const january = history(open('2026-03-10'), end('2029-01-20', 'A17.3b'));
    const reports = (events = january) => (given(events).state as OpenObligations).reports;

    it('keeps the annual report on the year before owed, scheduled with its own due day, not overdue yet', () => {
      expect(reports()['2028']).toMatchObject({ dueOn: '2029-01-31', scheduled: true, overdue: false });
      // Q4 2028 was due on 01-15, before the revocation: overdue as of it. Nothing of 2029 is owed.
      expect(reports()['2028-Q4']).toMatchObject({ dueOn: '2029-01-15', overdue: true });
      expect(Object.keys(reports()).filter((period) => period.startsWith('2029'))).toEqual([]);
    });

    it('accepts it on time within its due day, and the quarter overdue from before, late', () => {
      expect(given(january).when(annual(2028, '2029-01-25'))[0]!.payload).toMatchObject({
        period: '2028',
        late: false,
      });
      expect(given(january).when(quarterly(2028, 3, '2029-01-25'))[0]!.payload).toMatchObject({
        period: '2028-Q3',
        late: true,
      });
    });

    it('records it overdue when its deadline passes unfiled, and schedules nothing after the revocation', () => {
      const passed = given(january).when(deadline('2028', '2029-02-01'));
      expect(passed.map((e) => e.type)).toEqual(['reporting.report-overdue']);
      expect(passed[0]!.payload).toMatchObject({ period: '2028', dueOn: '2029-01-31', asOf: '2029-02-01' });
      expect(given([...january, ...passed]).when(deadline('2028', '2029-02-02'))).toEqual([]);
      // Filed first: the deadline passes without a record.
      const filed = history(open('2026-03-10'), end('2029-01-20', 'A17.3b'), annual(2028, '2029-01-25'));
      expect(given(filed).when(deadline('2028', '2029-02-01'))).toEqual([]);
    });

    it('owes the same whether the timer kept up before the revocation or not', () => {
      const passedInTime = [
        ['2026-Q1', '2026-04-16'],
        ['2026-Q2', '2026-07-16'],
        ['2026-Q3', '2026-10-16'],
        ['2026-Q4', '2027-01-16'],
        ['2026', '2027-02-01'],
        ['2027-Q1', '2027-04-16'],
        ['2027-Q2', '2027-07-16'],
        ['2027-Q3', '2027-10-16'],
        ['2027-Q4', '2028-01-16'],
        ['2027', '2028-02-01'],
        ['2028-Q1', '2028-04-16'],
        ['2028-Q2', '2028-07-16'],
        ['2028-Q3', '2028-10-16'],
        ['2028-Q4', '2029-01-16'],
      ].map(([period, today]) => deadline(period!, today!));
      const inOrder = history(open('2026-03-10'), ...passedInTime, end('2029-01-20', 'A17.3b'));
      // 2029-Q1 the timer scheduled before the revocation stays in the state, not owed (the views drop it).
      const owed = (events: typeof january) =>
        Object.values(reports(events))
          .filter((r) => r.period < '2029')
          .map((r) => [r.period, r.dueOn, r.overdue])
          .sort();
      expect(owed(inOrder)).toEqual(owed(january));
      // Read before the recognition (assessment and review topics have no order): the same.
      expect(owed(history(end('2029-01-20', 'A17.3b'), open('2026-03-10')))).toEqual(owed(january));
    });
  });
});
