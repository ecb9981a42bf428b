import {
  CalendarRegistry,
  decideConsecutiveUnqualified,
  decideGrade,
  decideQuarterlyReportDue,
  decideReportOverdue,
  decideYear1Subsidy,
  DEFAULT_POLICY,
  defaultPolicy,
  PolicyRegistry,
} from '@nqpf/rules';
import {
  assessmentExamples,
  financeExamples,
  intakeExamples,
  reportingExamples,
  reviewExamples,
} from '../../contracts/src/schemas/testing/decided-examples';
import * as account from '../../../apps/finance/src/domain/subsidy-account/testing/given';
import { StoreReplay, type EventToReplay, type StoreReplayContext } from './replay-events';

/*
 * A decision's recorded inputs that restate what its stream recorded before it: each is held to the stream
 * (a wrong due day, score, approved amount, balance, facts is a mismatch naming both), while the stories the
 * services' deciders write replay clean.
 */

/** A version (never in force) that gives a quarter's report 31 days: what a rescheduling may name. */
const longer = {
  ...DEFAULT_POLICY,
  version: 'policy-2026.9',
  effectiveFrom: '2099-01-01',
  quarterlyReportDueDays: 31,
};
const policies = new PolicyRegistry([DEFAULT_POLICY, longer]);
const context: StoreReplayContext = { policies, calendars: new CalendarRegistry() };

let n = 0;
/** One stream's events, in order, as a store holds them. */
const stream = (streamId: string, events: { type: string; payload: unknown }[]): EventToReplay[] =>
  events.map((e) => ({
    id: `e-${++n}`,
    type: e.type,
    streamId,
    centerId: streamId,
    payload: e.payload,
    recordedAt: '2030-01-01T00:00:00.000Z',
    occurredAt: '2026-03-10T02:00:00.000Z',
  }));

function replay(events: EventToReplay[]) {
  const replaying = new StoreReplay('test', context);
  events.forEach((e) => replaying.take(e));
  return replaying.finish();
}

const problems = (events: EventToReplay[]) =>
  replay(events).mismatches.map((m) => `${m.eventId} ${m.field} ${m.rule}: ${m.reason}`);

describe("the stories the services' deciders write replay clean", () => {
  it.each([
    ['intake', intakeExamples],
    ['review', reviewExamples],
    ['reporting', reportingExamples],
    ['assessment', assessmentExamples],
    ['finance', financeExamples],
  ])('%s', (_service, examples) => {
    const events = examples().flatMap((e, i) => stream(`${e.centerId ?? 'none'}-${i}`, e.events));
    const report = replay(events);
    expect(report.mismatches).toEqual([]);
    expect(report.decisions).toBeGreaterThan(0);
  });
});

// ---- A14/A15: a filing or an overdue report is decided on the due day its period was scheduled with ----
const scheduled = (period: string, version = defaultPolicy.version, follows: string | null = null) => {
  const [year, quarter] = period.split('-Q').map(Number);
  const decision = decideQuarterlyReportDue({ year, quarter }, policies.get(version));
  return {
    type: 'reporting.report-due-scheduled',
    payload: {
      kind: 'quarterly',
      period,
      periodEnd: decision.outcome.quarterEnd,
      dueOn: decision.outcome.dueDate,
      follows,
      decision,
    },
  };
};
const filed = (period: string, dueOn: string, filedOn: string) => {
  const decision = decideReportOverdue(
    { report: 'quarterly', dueDate: dueOn, filedOn, asOf: filedOn },
    defaultPolicy,
  );
  return {
    type: 'reporting.report-filed',
    payload: { kind: 'quarterly', period, filedOn, dueOn, late: decision.outcome.overdue, decision },
  };
};
const overdue = (period: string, dueOn: string, asOf: string) => ({
  type: 'reporting.report-overdue',
  payload: {
    kind: 'quarterly',
    period,
    dueOn,
    asOf,
    decision: decideReportOverdue(
      { report: 'quarterly', dueDate: dueOn, filedOn: null, asOf },
      defaultPolicy,
    ),
  },
});

describe("a report's due day (inputs dueDate) against the stream's scheduling of its period", () => {
  const says = "inputs `dueDate` = `dueOn` of the stream's last `reporting.report-due-scheduled` of `period`";
  // Q1 of 2027 is due on 2027-04-15 by the rule; reporting's timer scheduled it so.
  const q1 = () => scheduled('2027-Q1');

  it('counts a late filing recorded against a later due day (shown on time) as a mismatch naming both days', () => {
    const late = stream('r', [q1(), filed('2027-Q1', '2027-05-30', '2027-05-01')]);
    expect(problems(late)).toEqual([
      `${late[1]!.id} decision report-overdue: the event does not do what its decision decided: ${says} (recorded "2027-04-15", decided "2027-05-30")`,
    ]);
    expect(problems(stream('r', [q1(), filed('2027-Q1', '2027-04-15', '2027-05-01')]))).toEqual([]);
  });

  it('counts an overdue report recorded against another due day as a mismatch naming both days', () => {
    const moved = stream('r', [q1(), overdue('2027-Q1', '2027-04-10', '2027-04-16')]);
    expect(problems(moved)).toEqual([
      `${moved[1]!.id} decision report-overdue: the event does not do what its decision decided: ${says} (recorded "2027-04-15", decided "2027-04-10")`,
    ]);
    expect(problems(stream('r', [q1(), overdue('2027-Q1', '2027-04-15', '2027-04-16')]))).toEqual([]);
  });

  it('takes the last scheduling of the period: a rescheduled due day counts, the earlier one no longer', () => {
    // Scheduled again under a version giving 31 days: due on 2026-07-31, no longer 2026-07-15.
    const again = () => [scheduled('2026-Q2'), scheduled('2026-Q2', longer.version)];
    expect(problems(stream('r', [...again(), filed('2026-Q2', '2026-07-31', '2026-07-20')]))).toEqual([]);
    const stale = stream('r', [...again(), filed('2026-Q2', '2026-07-15', '2026-07-20')]);
    expect(problems(stale)).toEqual([
      expect.stringContaining(`${says} (recorded "2026-07-31", decided "2026-07-15")`),
    ]);
    // Filed before the rescheduling: held to the day scheduled then.
    expect(
      problems(
        stream('r', [
          scheduled('2026-Q2'),
          filed('2026-Q2', '2026-07-15', '2026-07-10'),
          scheduled('2026-Q2', longer.version),
        ]),
      ),
    ).toEqual([]);
  });

  it('makes no such check for a period its stream never scheduled (reporting then counts from the rule)', () => {
    expect(problems(stream('r', [filed('2027-Q1', '2027-04-15', '2027-04-10')]))).toEqual([]);
  });
});

// ---- A17.1: a grade by score is decided on the sum of the indicator scores the event records ----
const graded = (score: string, indicators: { name: string; score: string }[]) => {
  const decision = decideGrade({ score }, defaultPolicy);
  const grades = [{ year: 2026, grade: decision.outcome.grade }];
  return {
    type: 'assessment.assessment-completed',
    payload: {
      year: 2026,
      supportYear: 1,
      grade: decision.outcome.grade,
      method: 'score',
      indicators,
      score: decision.inputs.score,
      reason: null,
      assessedOn: '2027-02-01',
      decision,
      revocationCheck: decideConsecutiveUnqualified({ grades }, defaultPolicy),
    },
  };
};

describe("a grade by score (inputs score) against the event's indicator scores", () => {
  const says = 'inputs `score` = the sum of the `indicators` scores (method `score`, in hundredths)';
  const indicators = [
    { name: '运营管理', score: '30.00' },
    { name: '服务成效', score: '25.00' },
  ];

  it('counts 95.00 graded 优秀 on indicators adding up to 55.00 (不合格) as a mismatch naming both', () => {
    const wrong = stream('a', [graded('95.00', indicators)]);
    expect(problems(wrong)).toEqual([
      `${wrong[0]!.id} decision grade-from-score: the event does not do what its decision decided: ${says} (recorded "55.00", decided "95.00")`,
    ]);
    expect(problems(stream('a', [graded('55', indicators)]))).toEqual([]);
  });

  it('counts a grade by score without readable indicator scores as a mismatch', () => {
    for (const none of [[], [{ name: '运营管理', score: 'ninety' }]])
      expect(problems(stream('a', [graded('55.00', none as typeof indicators)]))).toEqual([
        expect.stringContaining(`${says} (recorded (none), decided "55.00")`),
      ]);
  });

  it('is exact to the hundredth', () => {
    const close = [
      { name: '运营管理', score: '59.99' },
      { name: '服务成效', score: '0.01' },
    ];
    expect(problems(stream('a', [graded('60.00', close)]))).toEqual([]);
    expect(problems(stream('a', [graded('60.01', close)]))).toEqual([
      expect.stringContaining(`${says} (recorded "60.00", decided "60.01")`),
    ]);
  });
});

// ---- A12.2: the year-1 grant is decided on the costs the bureau approved, as the account recorded them ----
/** A year-1 grant on `approvedFen` (its decision, amount and basis), in place of the one finance decided. */
function grantOn(grant: { type: string; payload: unknown }, approvedFen: string) {
  const decision = decideYear1Subsidy({ approvedCostsFen: approvedFen }, defaultPolicy);
  const p = grant.payload as { basis: object };
  return {
    ...grant,
    payload: {
      ...p,
      amountFen: decision.outcome.amountFen,
      basis: { ...p.basis, approvedFen },
      decision,
    },
  };
}

describe('a year-1 grant (inputs approvedCostsFen) against the approval its account recorded', () => {
  const says =
    "inputs `approvedCostsFen` = `approvedFen` of the stream's last `finance.year1-costs-approved` or `finance.year1-approval-revised` of `basis.declarationId` (subsidy-year1)";
  const approved = () =>
    account.history(
      account.open(),
      account.declare(account.yuan('6000000')),
      account.approve(account.yuan('1000000'), 'only the fit-out is a year-1 cost'),
    );

  it('counts a grant of 3,000,000.00 on 6,000,000.00 approved costs, where 1,000,000.00 were, as a mismatch naming both', () => {
    const events = approved();
    expect(events.map((e) => e.type).slice(-2)).toEqual([
      'finance.year1-costs-approved',
      'finance.grant-decided',
    ]);
    expect(problems(stream('f', events))).toEqual([]);
    const inflated = stream('f', [...events.slice(0, -1), grantOn(events.at(-1)!, '600000000')]);
    expect(problems(inflated)).toEqual([
      `${inflated.at(-1)!.id} decision subsidy-year1: the event does not do what its decision decided: ${says} (recorded "100000000", decided "600000000")`,
    ]);
  });

  it('takes the revised approval once the bureau revised it, not the first one', () => {
    const events = account.history(
      account.open(),
      account.declare(account.yuan('6000000')),
      account.approve(account.yuan('1000000'), 'only the fit-out is a year-1 cost'),
      account.revise(account.yuan('2000000'), 'the equipment is a year-1 cost too'),
    );
    expect(problems(stream('f', events))).toEqual([]);
    const stale = stream('f', [...events.slice(0, -1), grantOn(events.at(-1)!, '100000000')]);
    expect(problems(stale)).toEqual([
      expect.stringContaining(`${says} (recorded "200000000", decided "100000000")`),
    ]);
  });

  it('counts a grant on a declaration its account never approved as a mismatch', () => {
    const events = approved();
    const grant = events.at(-1)!;
    const other = {
      ...grant,
      payload: {
        ...(grant.payload as { basis: object }),
        basis: { kind: 'year1-costs', declarationId: 'd9', approvedFen: '100000000' },
      },
    };
    expect(problems(stream('f', [...events.slice(0, -1), other]))).toEqual([
      expect.stringContaining(`${says} (recorded (none), decided "100000000")`),
    ]);
  });
});
