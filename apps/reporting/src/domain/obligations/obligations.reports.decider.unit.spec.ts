import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import { annual, deadline, fieldOf, given, history, open, quarterly } from './obligations.spec-helper';

describe('obligations: quarterly and annual reports (A14, A15)', () => {
  const opened = history(open('2026-03-10'));

  it('accepts an annual report filed on 31 January as on time', () => {
    const [filed] = given(opened).when(annual(2026, '2027-01-31'));
    expect(filed).toMatchObject({
      type: 'reporting.report-filed',
      payload: {
        kind: 'annual',
        period: '2026',
        filedOn: '2027-01-31',
        dueOn: '2027-01-31',
        late: false,
        revision: 1,
      },
    });
    expect(filed!.payload).toMatchObject({
      decision: { rule: 'report-overdue', outcome: { overdue: false } },
    });
  });

  it('accepts an annual report filed on 1 February, marked late', () => {
    const [filed] = given(opened).when(annual(2026, '2027-02-01'));
    expect(filed!.payload).toMatchObject({
      late: true,
      decision: { outcome: { overdue: true, filed: true } },
    });
  });

  it('accepts a quarterly report on the 15th day after the quarter as on time, the 16th as late', () => {
    expect(given(opened).when(quarterly(2026, 1, '2026-04-15'))[0]!.payload).toMatchObject({ late: false });
    expect(given(opened).when(quarterly(2026, 1, '2026-04-16'))[0]!.payload).toMatchObject({ late: true });
  });

  it('marks a quarterly report missing at its due date overdue when the deadline passes, and schedules the next', () => {
    const events = given(opened).when(deadline('2026-Q1', '2026-04-16'));
    expect(events.map((e) => e.type)).toEqual(['reporting.report-overdue', 'reporting.report-due-scheduled']);
    expect(events[0]!.payload).toMatchObject({
      period: '2026-Q1',
      dueOn: '2026-04-15',
      asOf: '2026-04-16',
      decision: { rule: 'report-overdue', outcome: { overdue: true, filed: false } },
    });
    expect(events[1]!.payload).toMatchObject({ period: '2026-Q2', dueOn: '2026-07-15', follows: '2026-Q1' });
    expect(given([...opened, ...events]).state).toMatchObject({ reports: { '2026-Q1': { overdue: true } } });
  });

  it('refuses to pass a deadline on its due date, which is still inside the period (inclusive)', () => {
    expect(() => given(opened).when(deadline('2026-Q1', '2026-04-15'))).toThrow(RuleViolationError);
  });

  it('only schedules the next period when the report was filed in time', () => {
    const filed = history(open('2026-03-10'), quarterly(2026, 1, '2026-04-02'));
    const events = given(filed).when(deadline('2026-Q1', '2026-04-16'));
    expect(events.map((e) => e.type)).toEqual(['reporting.report-due-scheduled']);
  });

  it('does nothing when a deadline fires a second time', () => {
    const passed = history(open('2026-03-10'), deadline('2026-Q1', '2026-04-16'));
    expect(given(passed).when(deadline('2026-Q1', '2026-04-17'))).toEqual([]);
  });

  it('refuses a deadline that was never stored', () => {
    expect(() => given(opened).when(deadline('2026-Q3', '2026-10-16'))).toThrow(IllegalTransitionError);
  });

  it('chains the annual deadline to the next year', () => {
    const events = given(opened).when(deadline('2026', '2027-02-01'));
    expect(events[1]!.payload).toMatchObject({ kind: 'annual', period: '2027', dueOn: '2028-01-31' });
  });

  it('still accepts an overdue report, filed late', () => {
    const overdue = history(open('2026-03-10'), deadline('2026-Q1', '2026-04-16'));
    expect(given(overdue).when(quarterly(2026, 1, '2026-05-03'))[0]!.payload).toMatchObject({
      late: true,
      revision: 1,
    });
  });

  it('treats a second report for the period as a correction that supersedes the first, keeping history', () => {
    const filed = history(open('2026-03-10'), quarterly(2026, 1, '2026-04-02'));
    const [corrected] = given(filed).when({
      ...quarterly(2026, 1, '2026-04-20', {
        majorActivities: '路演12场',
        importantResults: '促成技术合同4项',
      }),
      reason: '补充成果',
    } as never);
    expect(corrected).toMatchObject({
      type: 'reporting.report-corrected',
      payload: {
        period: '2026-Q1',
        revision: 2,
        supersedesRevision: 1,
        filedOn: '2026-04-20',
        reason: '补充成果',
      },
    });
    const state = given([...filed, corrected!]).state;
    expect(state).toMatchObject({
      reports: {
        '2026-Q1': {
          revisions: [
            { revision: 1, filedOn: '2026-04-02', late: false },
            { revision: 2, filedOn: '2026-04-20', late: false },
          ],
        },
      },
    });
  });

  it('refuses a filing based on a revision that is no longer the latest (supersedesRevision), a first one too', () => {
    const corrected = { majorActivities: '路演12场', importantResults: '促成技术合同4项' };
    const filed = history(open('2026-03-10'), quarterly(2026, 1, '2026-04-02'));
    const read = (revision: number, on = '2026-04-20') =>
      ({
        ...quarterly(2026, 1, on, corrected),
        supersedesRevision: revision,
        ...(revision > 0 ? { reason: '补充成果' } : {}),
      }) as never;
    expect(given(filed).when(read(1))[0]).toMatchObject({ payload: { revision: 2, supersedesRevision: 1 } });
    const error = (() => {
      try {
        given(filed).when(read(0));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as Error).message).toContain('report 2026-Q1 is at revision 1, not 0: filed again since');
    expect(() => given(opened).when(read(1, '2026-04-02'))).toThrow('report 2026-Q1 has no revision 1');
    expect(given(opened).when(read(0, '2026-04-02'))[0]!.type).toBe('reporting.report-filed');
  });

  it('refuses a reason on a first filing (it records none; a reason says why a correction supersedes one)', () => {
    const withReason = { ...quarterly(2026, 1, '2026-04-02'), reason: '迟报说明' } as never;
    expect(() => given(opened).when(withReason)).toThrow(
      'reason: is for a correction of a filed report; this is the first filing',
    );
  });

  it('refuses the same report again (content and document) as no correction, naming the revision', () => {
    const filed = history(open('2026-03-10'), quarterly(2026, 1, '2026-04-02'));
    expect(() => given(filed).when(quarterly(2026, 1, '2026-04-03'))).toThrow(
      'cannot file report again when report 2026-Q1 revision 1 says the same (content and document)',
    );
    const withDocument = {
      ...quarterly(2026, 1, '2026-04-03'),
      documentHash: 'a'.repeat(64),
      reason: '补签报告文件',
    } as never;
    expect(given(filed).when(withDocument)[0]!.type).toBe('reporting.report-corrected');
  });

  describe('a correction says why it supersedes the filed report', () => {
    const filed = history(open('2026-03-10'), quarterly(2026, 2, '2026-07-02'));
    const again = (reason?: unknown) =>
      ({
        ...quarterly(2026, 2, '2026-07-20', {
          majorActivities: '路演8场',
          importantResults: '促成技术合同2项',
        }),
        ...(reason === undefined ? {} : { reason }),
      }) as never;

    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
      ['blank', ' \t\n '],
      ['not a text', 7],
    ])(
      'refuses a correction whose reason is %s: 400 naming reason and the rule, nothing recorded',
      (_, reason) => {
        const error = (() => {
          try {
            given(filed).when(again(reason));
          } catch (e) {
            return e as InvalidInputError;
          }
        })();
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ status: 400, field: 'reason' });
        expect(error!.message).toBe(
          'reason: A14: a correction of report 2026-Q2 (revision 1 is filed) must say why it supersedes it',
        );
      },
    );

    it('records the reason, trimmed; an annual correction names A15', () => {
      expect(given(filed).when(again('  补充第二季度成果数据 '))[0]).toMatchObject({
        type: 'reporting.report-corrected',
        payload: { period: '2026-Q2', revision: 2, reason: '补充第二季度成果数据' },
      });
      const annualFiled = history(open('2026-03-10'), annual(2026, '2027-01-10'));
      const annualAgain = {
        ...annual(2026, '2027-01-20'),
        content: { targetsMet: '已完成', fundsUse: '按规定使用', problems: '无', nextYearPlan: '扩大服务' },
      } as never;
      expect(() => given(annualFiled).when(annualAgain)).toThrow('reason: A15: a correction of report 2026');
    });

    it('still needs no reason on a first filing', () => {
      expect(given(opened).when(quarterly(2026, 2, '2026-07-02'))[0]!.type).toBe('reporting.report-filed');
    });
  });

  it('refuses a report for a period that ended before recognition or has not ended yet', () => {
    expect(() => given(opened).when(quarterly(2025, 4, '2026-04-02'))).toThrow(RuleViolationError);
    expect(() => given(opened).when(quarterly(2026, 2, '2026-06-29'))).toThrow(
      'A14: period 2026-Q2 has not ended yet',
    );
  });

  it('owes the quarter of a recognition on its last day, not the quarter before', () => {
    const lastDay = history(open('2026-03-31'));
    expect(given(lastDay).when(quarterly(2026, 1, '2026-04-01'))[0]).toMatchObject({
      type: 'reporting.report-filed',
      payload: { period: '2026-Q1', late: false },
    });
    expect(() => given(lastDay).when(quarterly(2025, 4, '2026-04-01'))).toThrow(
      'A14: period 2025-Q4 ended before recognition on 2026-03-31',
    );
  });

  it('refuses a report on the last day of its period and accepts it the next day (A14: after the period)', () => {
    expect(() => given(opened).when(quarterly(2026, 1, '2026-03-31'))).toThrow(
      'A14: period 2026-Q1 has not ended yet (its last day is 2026-03-31)',
    );
    expect(given(opened).when(quarterly(2026, 1, '2026-04-01'))[0]).toMatchObject({
      type: 'reporting.report-filed',
      payload: { period: '2026-Q1', filedOn: '2026-04-01', late: false },
    });
    expect(() => given(opened).when(annual(2026, '2026-12-31'))).toThrow(RuleViolationError);
    expect(given(opened).when(annual(2026, '2027-01-01'))[0]).toMatchObject({
      payload: { period: '2026', filedOn: '2027-01-01' },
    });
  });

  it.each([
    ['quarter', { quarter: 5 }],
    ['year', { year: 1999 }],
    ['content.importantResults', { content: { majorActivities: 'x' } }],
    [
      'content.importantResult',
      { content: { majorActivities: 'x', importantResults: 'y', importantResult: 'z' } },
    ],
    ['documentHash', { documentHash: 'abc' }],
    ['today', { today: '2026-13-01' }],
  ])('names the bad field %s', (field, patch) => {
    expect(
      fieldOf(() => given(opened).when({ ...quarterly(2026, 1, '2026-04-02'), ...patch } as never)),
    ).toBe(field);
  });

  it('names the annual content fields', () => {
    const bad = { ...annual(2026, '2027-01-10'), content: { targetsMet: 'a', fundsUse: 'b', problems: 'c' } };
    expect(fieldOf(() => given(opened).when(bad as never))).toBe('content.nextYearPlan');
  });
});
