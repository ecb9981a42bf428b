import { IllegalTransitionError } from '@nqpf/domain';
import { quartersOwed } from '@nqpf/rules';
import { CENTER, deadline, fieldOf, given, history, open, policy, policyOn } from './obligations.spec-helper';
import type { ObligationsCommand, ObligationsEvent, OpenObligations } from './obligations.types';

describe('obligations: opening on recognition (A14, A15)', () => {
  it('opens the obligations and stores the first quarterly and annual deadlines', () => {
    const events = given([]).when(open('2026-03-10'));
    expect(events.map((e) => e.type)).toEqual([
      'reporting.obligations-opened',
      'reporting.report-due-scheduled',
      'reporting.report-due-scheduled',
    ]);
    expect(events[0]!.payload).toMatchObject({
      centerId: CENTER,
      recognizedOn: '2026-03-10',
      policyVersion: policy.version,
      operatingDeadline: '2028-03-10',
    });
    expect(events[1]!.payload).toMatchObject({
      kind: 'quarterly',
      period: '2026-Q1',
      dueOn: '2026-04-15',
      follows: null,
    });
    expect(events[2]!.payload).toMatchObject({
      kind: 'annual',
      period: '2026',
      dueOn: '2027-01-31',
      follows: null,
    });
    expect(events.every((e) => e.schemaVersion === 1)).toBe(true);
  });

  it('records the due-date decision of the policy with each stored deadline', () => {
    const [, scheduled] = given([]).when(open('2026-03-10'));
    expect(scheduled!.payload).toMatchObject({
      decision: {
        rule: 'quarterly-report-due',
        policyVersion: policy.version,
        outcome: { dueDate: '2026-04-15' },
      },
    });
  });

  it('owes the report for the quarter and year of recognition, even when recognised on their last day', () => {
    const q = given([]).when(open('2026-03-31'));
    expect(q[1]!.payload).toMatchObject({ period: '2026-Q1', dueOn: '2026-04-15' });
    const y = given([]).when(open('2026-12-31'));
    expect(y[1]!.payload).toMatchObject({ period: '2026-Q4', dueOn: '2027-01-15' });
    expect(y[2]!.payload).toMatchObject({ period: '2026', dueOn: '2027-01-31' });
  });

  it('agrees with libs/rules on the quarters owed', () => {
    const recognizedOn = '2026-06-30';
    const first = given([]).when(open(recognizedOn))[1]!.payload as { period: string };
    const [owed] = quartersOwed(recognizedOn, '2027-01-01');
    expect(first.period).toBe(`${owed!.year}-Q${owed!.quarter}`);
  });

  it('ignores the same recognition delivered twice and refuses a different one', () => {
    const opened = history(open());
    expect(given(opened).when(open())).toEqual([]);
    expect(() => given(opened).when(open('2026-04-01'))).toThrow(IllegalTransitionError);
  });

  it.each([
    ['recognizedOn', { recognizedOn: '2026-02-30' }],
    ['district', { district: ' ' }],
    ['facts', { facts: [1] }],
  ])('names the bad field %s', (field, patch) => {
    expect(fieldOf(() => given([]).when({ ...open(), ...patch } as never))).toBe(field);
  });

  it('ends the obligations on revocation, once', () => {
    const opened = history(open());
    const end = {
      kind: 'end-obligations',
      centerId: CENTER,
      endedOn: '2027-05-01',
      ruleId: 'A16',
      reason: 'no-longer-eligible',
      policy,
      policyOn,
    } as const;
    const ended = given(opened).when(end);
    // The reports due before the revocation whose deadline timer has not run are recorded overdue first,
    // then those the timer would have scheduled after them (it never ran here), each overdue.
    const overdue = ended.filter((e) => e.type === 'reporting.report-overdue');
    expect(overdue.map((e) => (e.payload as { period: string }).period)).toEqual([
      '2026-Q1',
      '2026',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
      '2027-Q1',
    ]);
    expect(ended.at(-1)).toEqual({
      type: 'reporting.obligations-ended',
      schemaVersion: 1,
      payload: { centerId: CENTER, endedOn: '2027-05-01', ruleId: 'A16', reason: 'no-longer-eligible' },
    });
    expect(ended[0]!.payload).toMatchObject({ asOf: '2027-05-01', decision: { outcome: { overdue: true } } });
    expect(given([...opened, ...ended]).when(end)).toEqual([]);
  });

  describe('a revocation read before the recognition (assessment and review topics have no order)', () => {
    const end = {
      kind: 'end-obligations',
      centerId: CENTER,
      endedOn: '2026-03-10',
      ruleId: 'A16',
      reason: 'no-longer-eligible-after-major-change',
      policy,
      policyOn,
    } as const;
    const revokedFirst = history(end);

    it('is recorded, and the recognition then opens the obligations ended with nothing due', () => {
      expect(revokedFirst).toEqual([
        {
          type: 'reporting.obligations-ended',
          schemaVersion: 1,
          payload: {
            centerId: CENTER,
            endedOn: '2026-03-10',
            ruleId: 'A16',
            reason: 'no-longer-eligible-after-major-change',
          },
        },
      ]);
      expect(given(revokedFirst).state.status).toBe('none');
      const opened = given(revokedFirst).when(open('2026-03-10'));
      expect(opened.map((e) => e.type)).toEqual(['reporting.obligations-opened']);
      const state = given([...revokedFirst, ...opened]).state;
      expect(state).toMatchObject({
        status: 'ended',
        recognizedOn: '2026-03-10',
        reports: {},
        ended: { endedOn: '2026-03-10', ruleId: 'A16' },
      });
      expect(given(revokedFirst).when(end)).toEqual([]);
      expect(given([...revokedFirst, ...opened]).when(end)).toEqual([]);
    });

    it('records the reports owed before a later revocation overdue, as reading them in order does', () => {
      const later = { ...end, endedOn: '2027-05-01' };
      const reversed = history(later, open('2026-03-10'));
      // In order: the timer passed each deadline on the day after it (2026-Q1 … 2027-Q1, the 2026 annual).
      const passed = [
        ['2026-Q1', '2026-04-16'],
        ['2026-Q2', '2026-07-16'],
        ['2026-Q3', '2026-10-16'],
        ['2026-Q4', '2027-01-16'],
        ['2026', '2027-02-01'],
        ['2027-Q1', '2027-04-16'],
      ].map(([period, today]) => deadline(period!, today!));
      const inOrder = history(open('2026-03-10'), ...passed, later);
      const overdue = (events: ObligationsEvent[]) =>
        Object.values((given(events).state as OpenObligations).reports)
          .filter((r) => r.overdue)
          .map((r) => [r.period, r.dueOn])
          .sort();
      expect(overdue(reversed)).toEqual(overdue(inOrder));
      expect(overdue(reversed)).toHaveLength(6);
      expect(given(reversed).state).toMatchObject({ status: 'ended', ended: { endedOn: '2027-05-01' } });
      const scheduled = reversed.filter((e) => e.type === 'reporting.report-due-scheduled');
      expect(scheduled.map((e) => [e.payload.period, e.payload.follows])).toContainEqual([
        '2026-Q2',
        '2026-Q1',
      ]);
      const overdueEvents = reversed.filter((e) => e.type === 'reporting.report-overdue');
      expect(overdueEvents.every((e) => e.payload.asOf === '2027-05-01')).toBe(true);
      // In order with the timer stopped since the recognition: the end records the same.
      expect(overdue(history(open('2026-03-10'), later))).toEqual(overdue(inOrder));
    });

    it('schedules each period under the policy in force when its predecessor passed, as the timer does', () => {
      // From 2026-06-01 quarterly reports are due 45 days after the quarter.
      const longer = {
        ...policy,
        version: 'longer',
        effectiveFrom: '2026-06-01',
        quarterlyReportDueDays: 45,
      };
      const policyOn = (day: string) => (day >= longer.effectiveFrom ? longer : policy);
      const later = { ...end, endedOn: '2027-02-01', policyOn };
      const dueOn = (events: ObligationsEvent[]) =>
        Object.values((given(events).state as OpenObligations).reports)
          .map((r) => [r.period, r.dueOn, r.overdue])
          .sort();
      const reversed = history(later, { ...open('2026-03-10'), policyOn } as ObligationsCommand);
      const timer = (period: string, today: string) => ({
        ...deadline(period, today),
        policy: policyOn(today),
      });
      const inOrder = history(
        open('2026-03-10'),
        timer('2026-Q1', '2026-04-16'),
        timer('2026', '2027-02-01'),
        timer('2026-Q2', '2026-07-16'),
        timer('2026-Q3', '2026-11-15'),
        later,
      );
      // 2026-Q3 under the longer policy (due 11-14): 2026-Q4, ended before the end, still owed, due
      // 2027-02-14 (after the end, not overdue yet); nothing of 2027 is owed (in order, the timer scheduled
      // the 2027 annual report on the revocation day: it stays in the state, and the views drop it).
      const owed = (events: ObligationsEvent[]) => dueOn(events).filter(([period]) => period < '2027');
      expect(dueOn(reversed)).toEqual(owed(inOrder));
      expect(dueOn(reversed)).toContainEqual(['2026-Q3', '2026-11-14', true]);
      expect(dueOn(reversed)).toContainEqual(['2026-Q4', '2027-02-14', false]);
      expect(dueOn(reversed).map(([period]) => period)).not.toContain('2027-Q1');
    });

    describe('a report due on the revocation day is not overdue: it is due through that day (A14, A15)', () => {
      const endedOn = (day: string) => ({ ...end, endedOn: day });
      const overdue = (events: ObligationsEvent[]) =>
        Object.values((given(events).state as OpenObligations).reports)
          .filter((r) => r.overdue)
          .map((r) => r.period)
          .sort();
      const owed = (events: ObligationsEvent[]) =>
        Object.values((given(events).state as OpenObligations).reports)
          .map((r) => r.period)
          .sort();

      it('revoked on 2026-04-15, when 2026-Q1 is due: owed, not overdue, read before the recognition or after it', () => {
        for (const events of [
          history(endedOn('2026-04-15'), open('2026-03-10')),
          history(open('2026-03-10'), endedOn('2026-04-15')),
        ]) {
          expect(owed(events)).toContain('2026-Q1');
          expect(overdue(events)).toEqual([]);
          expect(events.filter((e) => e.type === 'reporting.report-overdue')).toEqual([]);
        }
      });

      it("revoked on 2026-07-15, 2026-Q2's due date: only 2026-Q1 is overdue, in either order", () => {
        for (const events of [
          history(endedOn('2026-07-15'), open('2026-03-10')),
          history(open('2026-03-10'), endedOn('2026-07-15')),
        ]) {
          expect(owed(events)).toEqual(expect.arrayContaining(['2026-Q1', '2026-Q2']));
          expect(overdue(events)).toEqual(['2026-Q1']);
        }
      });

      it('owes the quarter that ends on the revocation day when its predecessor was due that day too (a 90-day due policy)', () => {
        // 2026-Q4 is due on 2027-03-31, the day 2027-Q1 ends and the center is revoked: 2027-Q1 ended by
        // the revocation day, so it is owed (isReportOwedAtEnd), due after it; only the 2026 annual
        // report, due 2027-01-31 and unfiled, is overdue.
        const slow = { ...policy, version: 'due-90', quarterlyReportDueDays: 90 };
        const slowOn = () => slow;
        const opening = { ...open('2026-10-10'), policy: slow, policyOn: slowOn } as ObligationsCommand;
        const ending = { ...endedOn('2027-03-31'), policy: slow, policyOn: slowOn } as ObligationsCommand;
        const timer = { ...deadline('2026-Q4', '2027-04-01'), policy: slow } as ObligationsCommand;
        for (const events of [
          history(ending, opening),
          history(opening, ending),
          history(opening, ending, timer),
        ]) {
          expect(owed(events)).toEqual(expect.arrayContaining(['2026-Q4', '2027-Q1']));
          expect(overdue(events)).toEqual(['2026']);
        }
      });
    });

    it('leaves the stored deadlines of the ended center without effect', () => {
      const opened = history(end, open('2026-03-10'));
      expect(given(opened).when({ kind: 'pass-operating-deadline', today: '2028-03-11', policy })).toEqual(
        [],
      );
      expect(() =>
        given(opened).when({
          kind: 'declare-operation-start',
          startedOn: '2026-04-01',
          today: '2026-04-01',
          policy,
        }),
      ).toThrow('center revoked on 2026-03-10 (A16)');
    });
  });
});
