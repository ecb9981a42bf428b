import eligible from '../../rules/examples/eligible-application.json';
import ineligibleArea from '../../rules/examples/ineligible-area.json';
import {
  CalendarRegistry,
  decideConsecutiveUnqualified,
  decideEligibility,
  decideExpenditure,
  decideMajorChange,
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
import { eligibleFacts } from '../../../apps/reporting/src/domain/obligations/eligible-facts.fixture';
import * as obligations from '../../../apps/reporting/src/domain/obligations/obligations.spec-helper';
import { StoreReplay, type EventToReplay, type StoreReplayContext } from './replay-events';
import { replayStream as stream } from './replay-stream.spec-helper';

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

// ---- A13: an expenditure is decided on what its account disbursed and spent of the year before it ----
const { yuan } = account;
/** The expenditure (its decision) as if decided on other figures; what the event says otherwise stays. */
function spentOn(event: { type: string; payload: unknown }, disbursedFen: string, spentFen: string) {
  const p = event.payload as {
    category: string;
    amountFen: string;
    decision: { inputs: { category: string } };
  };
  const decision = decideExpenditure(
    { ...p.decision.inputs, amountFen: p.amountFen, disbursedFen, spentFen },
    defaultPolicy,
  );
  return { ...event, payload: { ...p, decision } };
}

describe('an expenditure (inputs disbursedFen, spentFen) against what its account recorded before it', () => {
  const disbursedSays =
    "inputs `disbursedFen` = what the stream's account disbursed for `supportYear` before it and may spend";
  const spentSays = "inputs `spentFen` = what the stream's account spent of `supportYear` before it";
  const granted = () =>
    account.history(account.open(), account.declare(yuan('1000000')), account.approve(yuan('1000000')));

  it('counts spending accepted on 500,000.00 disbursed where nothing was as a mismatch naming both', () => {
    const events = account.history(
      account.open(),
      account.declare(yuan('1000000')),
      account.approve(yuan('1000000')),
      account.disburse(1, yuan('500000'), 'pay-1'),
      account.spend(1, 'rent', yuan('1000'), 'x1'),
    );
    expect(problems(stream('f', events))).toEqual([]);
    // The same spending, in an account that paid nothing out.
    const unpaid = stream('f', [...granted(), events.at(-1)!]);
    expect(problems(unpaid)).toEqual([
      expect.stringContaining(
        `${unpaid.at(-1)!.id} decision expenditure: the event does not do what its decision decided: ${disbursedSays}`,
      ),
    ]);
    expect(problems(unpaid)[0]).toContain('(recorded "0", decided "50000000")');
  });

  it('counts spending that leaves out what the year had already spent as a mismatch naming both', () => {
    const events = account.history(
      ...[account.open(), account.declare(yuan('1000000')), account.approve(yuan('1000000'))],
      account.disburse(1, yuan('1000'), 'pay-1'),
      account.spend(1, 'rent', yuan('800'), 'x1'),
      { ...account.spend(1, 'rent', yuan('800'), 'x2'), spentOn: '2026-07-02' },
    );
    expect(events.at(-1)!.type).toBe('finance.expenditure-rejected');
    expect(problems(stream('f', events))).toEqual([]);
    // Accepted as if nothing had been spent: within the 1,000.00 disbursed.
    const forgetful = spentOn(events.at(-1)!, '100000', '0');
    const accepted = {
      type: 'finance.expenditure-accepted',
      payload: { ...(forgetful.payload as object), entryId: 'x2', correctsEntryId: null, reason: null },
    };
    const replayed = stream('f', [...events.slice(0, -1), accepted]);
    expect(problems(replayed)).toEqual([
      expect.stringContaining(
        `${spentSays}: its \`finance.expenditure-accepted\` less their \`finance.entry-reversed\` (recorded "80000", decided "0")`,
      ),
    ]);
  });

  it('counts money paid after the revocation day as not spendable, as finance does', () => {
    const events = account.history(
      account.open(),
      account.declare(yuan('1000000')),
      account.approve(yuan('1000000')),
      { ...account.disburse(1, yuan('2000'), 'pay-1'), disbursedOn: '2026-06-01' },
      { ...account.disburse(1, yuan('5000'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' },
      account.revoke('2026-08-01'),
      { ...account.spend(1, 'rent', yuan('3000'), 'x1'), spentOn: '2026-07-15', decidedOn: '2026-08-05' },
      { ...account.spend(1, 'rent', yuan('1500'), 'x2'), spentOn: '2026-07-16', decidedOn: '2026-08-05' },
    );
    // 7,000.00 disbursed, 5,000.00 of it after the revocation day: 3,000.00 is refused, 1,500.00 accepted.
    expect(events.slice(-2).map((e) => e.type)).toEqual([
      'finance.expenditure-rejected',
      'finance.expenditure-accepted',
    ]);
    expect(problems(stream('f', events))).toEqual([]);
    const blind = spentOn(events.at(-1)!, '700000', '0');
    expect(problems(stream('f', [...events.slice(0, -1), blind]))).toEqual([
      expect.stringContaining(`${disbursedSays}`),
    ]);
    expect(problems(stream('f', [...events.slice(0, -1), blind]))[0]).toContain(
      '(recorded "200000", decided "700000")',
    );
  });

  it('replays clean a story of corrections, a revocation, money paid back and spending after it', () => {
    const HASH = 'a'.repeat(64);
    const events = account.history(
      account.open(),
      account.declare(yuan('1000000')),
      account.approve(yuan('1000000')),
      account.disburse(1, yuan('200000'), 'pay-1'),
      account.spend(1, 'rent', yuan('1000'), 'x1'),
      // An expenditure corrected: reversed, and replaced by one decided on the year without it.
      {
        kind: 'correct-entry',
        reversalEntryId: 'rev-x1',
        reversesEntryId: 'x1',
        reason: 'invoice keyed wrongly',
        correctedOn: '2026-07-03',
        policy: defaultPolicy,
        replacement: {
          kind: 'expenditure',
          entryId: 'x1b',
          category: 'rent',
          amount: yuan('1500'),
          evidenceHash: HASH,
          spentOn: '2026-07-01',
          description: 'invoice',
        },
      },
      // A disbursement corrected to less.
      {
        ...account.disburse(1, yuan('100000'), 'pay-2'),
        disbursedOn: '2026-07-10',
        recordedOn: '2026-07-10',
      },
      {
        kind: 'correct-entry',
        reversalEntryId: 'rev-pay-2',
        reversesEntryId: 'pay-2',
        reason: 'voucher keyed wrongly',
        correctedOn: '2026-07-11',
        policy: defaultPolicy,
        replacement: {
          kind: 'disbursement',
          entryId: 'pay-2b',
          amount: yuan('90000'),
          disbursedOn: '2026-07-10',
        },
      },
      { ...account.disburse(1, yuan('5000'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' },
      account.revoke('2026-08-01'),
      { ...account.spend(1, 'rent', yuan('286000'), 'x2'), spentOn: '2026-07-15', decidedOn: '2026-08-05' },
      { ...account.spend(1, 'rent', yuan('2000'), 'x3'), spentOn: '2026-07-16', decidedOn: '2026-08-05' },
      // Paid back: no longer to recover, and its money cancelled.
      {
        kind: 'correct-entry',
        reversalEntryId: 'rev-late',
        reversesEntryId: 'late',
        reason: 'paid back to the treasury',
        correctedOn: '2026-08-10',
        policy: defaultPolicy,
      },
      { ...account.spend(1, 'rent', yuan('2000'), 'x4'), spentOn: '2026-07-17', decidedOn: '2026-08-11' },
      {
        ...account.spend(1, 'entertainment', yuan('10'), 'x5'),
        spentOn: '2026-07-17',
        decidedOn: '2026-08-11',
      },
    );
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'finance.expenditure-accepted')).toHaveLength(4);
    expect(types.filter((t) => t === 'finance.expenditure-rejected')).toHaveLength(2);
    const report = replay(stream('f', events));
    expect(report.mismatches).toEqual([]);
    expect(report.decisions).toBe(7);
  });
});

// ---- A6: eligibility is decided on the facts the candidacy recorded when it opened ----
const opened = (facts: unknown) => ({
  type: 'review.candidacy-opened',
  payload: { applicationId: 'a', acceptedAt: '2026-03-01T02:00:00.000Z', facts, materials: [] },
});
const eligibilityOn = (facts: unknown) => {
  const decision = decideEligibility(facts, defaultPolicy);
  return {
    type: 'review.eligibility-decided',
    payload: {
      applicationId: 'a',
      eligible: decision.outcome.eligible,
      decidedAt: '2026-03-01T02:00:01.000Z',
      decision,
    },
  };
};

describe('eligibility (inputs) against the facts its candidacy recorded', () => {
  const says = "inputs = the `facts` of the stream's `review.candidacy-opened`, as the A6 rule reads them";

  it('counts an application of 4999.99 m² decided eligible on 5000.00 m² as a mismatch naming the area both ways', () => {
    const wrong = stream('a', [opened(ineligibleArea), eligibilityOn(eligible)]);
    expect(problems(wrong)).toEqual([
      `${wrong[1]!.id} decision eligibility: the event does not do what its decision decided: ${says} (recorded {"premises":{"buildingAreaM2":"4999.99"}}, decided {"premises":{"buildingAreaM2":"5000.00"}})`,
    ]);
    expect(problems(stream('a', [opened(ineligibleArea), eligibilityOn(ineligibleArea)]))).toEqual([]);
  });

  it('reads the facts as the rule does: terms given in Chinese, areas without decimals are the same facts', () => {
    const typed = structuredClone(eligible) as Record<string, unknown> & {
      premises: { buildingAreaM2: unknown };
    };
    typed.premises.buildingAreaM2 = '5000';
    typed.services = ['技术交易', ...eligible.services.slice(1)];
    expect(problems(stream('a', [opened(typed), eligibilityOn(eligible)]))).toEqual([]);
  });

  it('counts a decision where the candidacy recorded facts the rule cannot read as a mismatch', () => {
    const [problem] = problems(stream('a', [opened({ premises: {} }), eligibilityOn(eligible)]));
    expect(problem).toContain(`${says} (recorded "(not readable: `);
  });
});

// ---- A16: a major change is re-checked on the facts of its day, with its own new facts merged in ----
const change = (
  changeId: string,
  changes: string[],
  effectiveOn: string,
  newFacts: Record<string, unknown>,
  today: string,
) => ({
  kind: 'report-major-change' as const,
  changeId,
  changes,
  description: '书面报告',
  effectiveOn,
  newFacts,
  today,
  policy: obligations.policy,
});

/** The evaluation as if reporting had re-checked other facts (its decision and what it says of it). */
function evaluatedOn(
  event: { type: string; payload: unknown },
  facts: { factsAfterChange: object; factsBeforeChange?: object },
) {
  const p = event.payload as { decision: { inputs: { changes: string[] } } };
  const decision = decideMajorChange({ changes: p.decision.inputs.changes, ...facts }, defaultPolicy);
  return {
    ...event,
    payload: {
      ...p,
      stillEligible: decision.outcome.stillEligible,
      failed: decision.outcome.failed,
      decision,
    },
  };
}

describe('a major change (inputs factsAfterChange, factsBeforeChange) against the facts its stream recorded', () => {
  const afterSays = 'inputs `factsAfterChange` = the facts on its `effectiveOn`';
  const beforeSays = 'inputs `factsBeforeChange` = those facts on its `effectiveOn` before it';

  it('counts a move into 100 m² re-checked as 5600 m² (still eligible, not revoked) as a mismatch naming both', () => {
    const events = obligations.history(
      obligations.open('2026-03-10', eligibleFacts),
      change('ch1', ['area_changed'], '2026-06-01', { premises: { buildingAreaM2: '100.00' } }, '2026-06-02'),
    );
    const evaluated = events.at(-1)!;
    expect((evaluated.payload as { stillEligible: boolean }).stillEligible).toBe(false);
    expect(problems(stream('o', events))).toEqual([]);
    const kept = evaluatedOn(evaluated, {
      factsAfterChange: { ...eligibleFacts, premises: { buildingAreaM2: '5600.00' } },
      factsBeforeChange: eligibleFacts,
    });
    const replayed = stream('o', [...events.slice(0, -1), kept]);
    const [problem, ...more] = problems(replayed);
    expect(more).toEqual([]);
    expect(problem).toContain(
      `${replayed.at(-1)!.id} decision major-change: the event does not do what its decision decided: ${afterSays}`,
    );
    expect(problem).toContain(
      '(recorded {"premises":{"buildingAreaM2":"100.00"}}, decided {"premises":{"buildingAreaM2":"5600.00"}})',
    );
  });

  it("counts facts before the change other than the stream's, or none where they were whole, as a mismatch", () => {
    const events = obligations.history(
      obligations.open('2026-03-10', eligibleFacts),
      change(
        'ch1',
        ['area_changed'],
        '2026-06-01',
        { premises: { buildingAreaM2: '4000.00' } },
        '2026-06-02',
      ),
    );
    const claimed = evaluatedOn(events.at(-1)!, {
      factsAfterChange: { ...eligibleFacts, premises: { buildingAreaM2: '4000.00' } },
      factsBeforeChange: { ...eligibleFacts, premises: { buildingAreaM2: '4500.00' } },
    });
    expect(problems(stream('o', [...events.slice(0, -1), claimed]))).toEqual([
      expect.stringContaining(
        `${beforeSays}, when the A6 rule can read them whole (absent otherwise; from rules-2026.4) (recorded {"premises":{"buildingAreaM2":"5200.00"}}, decided {"premises":{"buildingAreaM2":"4500.00"}})`,
      ),
    ]);
    // Left out where the stream's facts before were whole: every failure after the change would count.
    const without = evaluatedOn(events.at(-1)!, {
      factsAfterChange: { ...eligibleFacts, premises: { buildingAreaM2: '4000.00' } },
    });
    expect(problems(stream('o', [...events.slice(0, -1), without]))).toEqual([
      expect.stringContaining(`${beforeSays}`),
    ]);
  });

  it('replays clean the changes reporting judges: late ones on the facts of their day, groups merged per field', () => {
    const events = obligations.history(
      obligations.open('2026-03-10', eligibleFacts),
      change(
        'ch1',
        ['area_changed'],
        '2026-06-01',
        { premises: { buildingAreaM2: '5600.00' } },
        '2026-06-02',
      ),
      // Reported later but effective before ch1: judged on the facts of 2026-05-01, without ch1.
      change(
        'ch2',
        ['operator_changed'],
        '2026-05-01',
        {
          operator: { name: '长春某新运营有限公司', creditCode: '91220101MA14ABCD0Y' },
          team: { staffInPost: 12 },
        },
        '2026-06-10',
      ),
      change('ch3', ['direction_changed'], '2026-07-01', {}, '2026-07-02'),
      change(
        'ch4',
        ['investor_ended_cooperation'],
        '2026-08-01',
        {
          premises: { buildingAreaM2: '3000.00' },
        },
        '2026-08-02',
      ),
    );
    expect(events.filter((e) => e.type === 'reporting.major-change-evaluated')).toHaveLength(4);
    expect(problems(stream('o', events))).toEqual([]);
  });

  it('replays clean a change of a center recognised without facts, or with only some (nothing whole before)', () => {
    for (const recognised of [undefined, { premises: { buildingAreaM2: '5200.00' } }]) {
      const events = obligations.history(
        obligations.open('2026-03-10', recognised),
        change(
          'ch1',
          ['area_changed'],
          '2026-06-01',
          { ...eligibleFacts, premises: { buildingAreaM2: '5600.00' } },
          '2026-06-02',
        ),
      );
      expect((events.at(-1)!.payload as { decision: { inputs: object } }).decision.inputs).not.toHaveProperty(
        'factsBeforeChange',
      );
      expect(problems(stream('o', events))).toEqual([]);
    }
  });
});
