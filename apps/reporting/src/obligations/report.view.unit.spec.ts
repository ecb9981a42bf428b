import type { Actor } from '@nqpf/contracts';
import { foldEvents, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { obligationsDecider } from '../domain/obligations/obligations.decider';
import {
  annual,
  CENTER,
  deadline,
  fieldOf,
  history,
  open,
  quarterly,
} from '../domain/obligations/obligations.spec-helper';
import type { ObligationsEvent, OpenObligations } from '../domain/obligations/obligations.types';
import { readReportKey } from '../domain/obligations/report-period';
import { reportView } from './report.view';

const FILER: Actor = { id: 'op-staff-1', role: 'operator', centerId: CENTER };
const CORRECTOR: Actor = { id: 'op-staff-2', role: 'operator', centerId: CENTER };
const SYSTEM: Actor = { id: 'reporting', role: 'system' };

/** As the store returns them: each event with the actor recorded — the operator's staff for filings. */
const stored = (events: ObligationsEvent[], filers: Actor[] = [FILER, CORRECTOR]) => {
  let filings = 0;
  return events.map((e) => ({
    ...e,
    actor:
      e.type === 'reporting.report-filed' || e.type === 'reporting.report-corrected'
        ? (filers[filings++] ?? FILER)
        : SYSTEM,
  }));
};
const stateOf = (events: ObligationsEvent[]) => foldEvents(obligationsDecider, events) as OpenObligations;
const view = (events: ObligationsEvent[], key: string, kind: 'quarterly' | 'annual' = 'quarterly') =>
  reportView(CENTER, readReportKey(kind, key), stored(events), events.length);
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('not refused');
};

const FIRST = { majorActivities: '路演6场', importantResults: '促成技术合同1项' };
const SECOND = { majorActivities: '路演8场', importantResults: '促成技术合同2项' };

describe("reporting's read of one report as filed (A14/A15)", () => {
  // 2026-Q2 filed late (after its deadline passed), then corrected; 2026-Q3 scheduled, not filed.
  const events = history(
    open('2026-03-10'),
    deadline('2026-Q1', '2026-04-16'),
    deadline('2026-Q2', '2026-07-16'),
    quarterly(2026, 2, '2026-07-20', FIRST),
    quarterly(2026, 2, '2026-08-03', SECOND, '补充第二季度成果数据'),
  );

  it('gives each revision in the order filed with its content, document, filer and, for a correction, what it superseded and why', () => {
    expect(view(events, '2026-Q2')).toEqual({
      centerId: CENTER,
      kind: 'quarterly',
      period: '2026-Q2',
      dueOn: '2026-07-15',
      late: true,
      revisions: [
        {
          revision: 1,
          filedOn: '2026-07-20',
          late: true,
          content: { kind: 'quarterly', ...FIRST },
          documentHash: null,
          filedBy: FILER,
          supersedesRevision: null,
          reason: null,
        },
        {
          revision: 2,
          filedOn: '2026-08-03',
          late: true,
          content: { kind: 'quarterly', ...SECOND },
          documentHash: null,
          filedBy: CORRECTOR,
          supersedesRevision: 1,
          reason: '补充第二季度成果数据',
        },
      ],
      version: events.length,
    });
  });

  it('shows the revisions, due day and lateness the obligations show', () => {
    const report = stateOf(events).reports['2026-Q2']!;
    const read = view(events, '2026-Q2');
    expect(read.dueOn).toBe(report.dueOn);
    expect(read.revisions.map(({ revision, filedOn, late }) => ({ revision, filedOn, late }))).toEqual(
      report.revisions.map(({ revision, filedOn, late }) => ({ revision, filedOn, late })),
    );
  });

  it('takes the due day of a later scheduling of the period, as the obligations do', () => {
    const scheduledAgain = [
      ...events,
      {
        type: 'reporting.report-due-scheduled',
        schemaVersion: 1,
        payload: {
          centerId: CENTER,
          kind: 'quarterly',
          period: '2026-Q2',
          periodEnd: '2026-06-30',
          dueOn: '2026-07-31',
          follows: null,
        },
      } as unknown as ObligationsEvent,
    ];
    expect(stateOf(scheduledAgain).reports['2026-Q2']!.dueOn).toBe('2026-07-31');
    expect(view(scheduledAgain, '2026-Q2').dueOn).toBe('2026-07-31');
  });

  it('reads an annual report filed on time with its A15 content', () => {
    const filed = history(open('2026-03-10'), annual(2026, '2027-01-31'));
    expect(view(filed, '2026', 'annual')).toMatchObject({
      kind: 'annual',
      period: '2026',
      dueOn: '2027-01-31',
      late: false,
      revisions: [
        {
          revision: 1,
          late: false,
          content: {
            kind: 'annual',
            targetsMet: '完成',
            fundsUse: '房租费',
            problems: '无',
            nextYearPlan: '扩大路演',
          },
          filedBy: FILER,
        },
      ],
    });
  });

  it('gives a correction recorded before reasons were required a null reason', () => {
    const legacy = events.map((e) =>
      e.type === 'reporting.report-corrected'
        ? ({ ...e, payload: { ...e.payload, reason: null } } as ObligationsEvent)
        : e,
    );
    expect(view(legacy, '2026-Q2').revisions[1]).toMatchObject({ revision: 2, reason: null });
  });

  it('answers a period the center owes but has no report for, and one it knows nothing of, with a 404 naming which', () => {
    const due = refusal(() => view(events, '2026-Q3'));
    expect(due).toBeInstanceOf(NotFoundError);
    expect((due as Error).message).toBe('filed quarterly report 2026-Q3 not found');
    const overdue = refusal(() => view(events, '2026-Q1'));
    expect((overdue as Error).message).toBe('filed quarterly report 2026-Q1 not found');
    const unknown = refusal(() => view(events, '2031-Q1'));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as Error).message).toBe('quarterly report period 2031-Q1 not found');
    // Before recognition: never owed.
    expect((refusal(() => view(events, '2025', 'annual')) as Error).message).toBe(
      'annual report period 2025 not found',
    );
  });
});

describe('reading a report named by kind and period', () => {
  it('takes the kinds and period keys GET …/obligations lists', () => {
    expect(readReportKey('quarterly', '2026-Q2')).toMatchObject({ kind: 'quarterly', key: '2026-Q2' });
    expect(readReportKey('annual', '2026')).toMatchObject({ kind: 'annual', key: '2026', end: '2026-12-31' });
  });

  it('names kind, or period with its rule, when malformed or of the other kind', () => {
    expect(fieldOf(() => readReportKey('monthly', '2026-Q2'))).toBe('kind');
    for (const [kind, key] of [
      ['quarterly', '2026'],
      ['quarterly', '2026-Q5'],
      ['quarterly', '2026-q2'],
      ['annual', '2026-Q2'],
      ['annual', '26'],
      ['annual', ''],
    ] as const)
      expect(fieldOf(() => readReportKey(kind, key))).toBe('period');
    const error = refusal(() => readReportKey('quarterly', '2026')) as InvalidInputError;
    expect(error.message).toContain('A14');
    expect((refusal(() => readReportKey('annual', '2026-Q2')) as Error).message).toContain('A15');
  });
});
