import eligible from '../../rules/examples/eligible-application.json';
import {
  CalendarRegistry,
  DEFAULT_POLICY,
  decideAnnualSubsidy,
  decideConsecutiveUnqualified,
  decideEligibility,
  decideExpenditure,
  decideGrade,
  decideObjectionAdmissible,
  decideOperatingDeadline,
  decidePublicityEnd,
  decideQuarterlyReportDue,
  bundledCalendar,
  defaultPolicy,
  PolicyRegistry,
} from '@nqpf/rules';
import { StoreReplay, type EventToReplay, type StoreReplayContext } from './replay-events';

const policy2027 = { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' };
const policies = new PolicyRegistry([DEFAULT_POLICY, policy2027]);
const context: StoreReplayContext = { policies, calendars: new CalendarRegistry() };
const later = policies.get('policy-2027.1');

let n = 0;
const event = (streamId: string, type: string, payload: object, occurredAt = '2026-03-10T02:00:00.000Z') => ({
  id: `e-${++n}`,
  type,
  schemaVersion: 1,
  streamId,
  centerId: streamId,
  payload,
  recordedAt: '2030-01-01T00:00:00.000Z',
  occurredAt,
});

function replay(events: EventToReplay[], with_: StoreReplayContext = context) {
  const replaying = new StoreReplay('test', with_);
  events.forEach((e) => replaying.take(e));
  return replaying.finish();
}

const problems = (events: EventToReplay[], with_?: StoreReplayContext) =>
  replay(events, with_).mismatches.map((m) => `${m.eventId} ${m.field}: ${m.reason}`);

// ---- assessment: a center graded 不合格 two years running is revoked in the same append ----
const deadline = decideOperatingDeadline({ recognizedOn: '2026-03-10', asOf: '2026-03-10' }, defaultPolicy);
const tracked = () =>
  event('c', 'assessment.center-tracked', {
    recognizedOn: '2026-03-10',
    operatingDeadline: deadline.outcome.deadline,
    policyVersion: defaultPolicy.version,
    decision: deadline,
  });
const unqualified = decideGrade({ score: '50' }, defaultPolicy);
const assessed = (year: number, grades: { year: number; grade: string }[], policy = defaultPolicy) =>
  event('c', 'assessment.assessment-completed', {
    year,
    grade: '不合格',
    method: 'score',
    indicators: [{ name: 'overall', score: unqualified.inputs.score }],
    score: unqualified.inputs.score,
    reason: null,
    assessedOn: `${year}-12-31`,
    decision: unqualified,
    revocationCheck: decideConsecutiveUnqualified({ grades }, policy),
  });
const first = () => assessed(2026, [{ year: 2026, grade: '不合格' }]);
const secondCheck = decideConsecutiveUnqualified(
  {
    grades: [
      { year: 2026, grade: '不合格' },
      { year: 2027, grade: '不合格' },
    ],
  },
  later,
);
const second = () =>
  event('c', 'assessment.assessment-completed', {
    ...(assessed(2027, []).payload as object),
    decision: decideGrade({ score: '50' }, later),
    revocationCheck: secondCheck,
  });
const revoked = (decision: object = secondCheck) =>
  event('c', 'assessment.center-revoked', {
    revokedOn: '2027-12-31',
    ruleId: 'A17.3b',
    reason: 'consecutive-unqualified',
    explanation: secondCheck.reasons[0]!.message,
    decision,
  });

describe('a store replayed event by event (StoreReplay)', () => {
  it('takes a genuine stream as matching: the revocation carries the check that required it', () => {
    const report = replay([tracked(), first(), second(), revoked()]);
    expect(report.mismatches).toEqual([]);
    expect([report.events, report.decisions, report.matches]).toEqual([4, 6, 6]);
  });

  describe('an event at a schema version this build does not know (a newer release wrote it)', () => {
    const unknown = (version: number) =>
      `schema version ${version} of assessment.center-tracked: this build does not know it; replay with a release that does`;

    it('is its own mismatch, its decisions not re-run: not a missing decision, never a match', () => {
      const { decision, ...rest } = tracked().payload as Record<string, unknown>;
      const moved = { ...tracked(), schemaVersion: 99, payload: { ...rest, deadlineDecision: decision } };
      const same = { ...tracked(), schemaVersion: 2 };
      const report = replay([moved, same]);
      expect(report.mismatches.map((m) => `${m.eventId} ${m.field} ${m.rule}: ${m.reason}`)).toEqual([
        `${moved.id} schemaVersion (not read): ${unknown(99)}`,
        `${same.id} schemaVersion (not read): ${unknown(2)}`,
      ]);
      expect([report.events, report.decisions, report.matches]).toEqual([2, 2, 0]);
    });

    it("leaves a revoking check before it untold, rather than read that event's payload", () => {
      const check = second();
      const next = { ...revoked(), schemaVersion: 2 };
      expect(problems([tracked(), first(), check, next])).toEqual([
        `${check.id} revocationCheck: cannot tell whether the stream's next event carries its revocation: ${next.id} is schema version 2 of assessment.center-revoked: this build does not know it; replay with a release that does`,
        `${next.id} schemaVersion: schema version 2 of assessment.center-revoked: this build does not know it; replay with a release that does`,
      ]);
    });
  });

  it('counts a check that revokes with no revocation after it as a mismatch', () => {
    const check = second();
    expect(problems([tracked(), first(), check])).toEqual([
      `${check.id} revocationCheck: the event does not do what its decision decided: outcome \`revoke\` is true, but no event follows it, not the assessment.center-revoked carrying it`,
    ]);
    const other = event('c', 'assessment.operation-start-recorded', {});
    expect(problems([tracked(), first(), check, other])[0]).toBe(
      `${check.id} revocationCheck: the event does not do what its decision decided: outcome \`revoke\` is true, but the stream's next event is assessment.operation-start-recorded ${other.id}, not the assessment.center-revoked carrying it`,
    );
  });

  it('counts an A17.3b revocation not carrying the check just before it as a mismatch', () => {
    const alone = revoked();
    expect(problems([tracked(), alone])).toEqual([
      expect.stringContaining(
        `${alone.id} decision: the event does not do what its decision decided: the decision is the \`revocationCheck\` of the \`assessment.assessment-completed\` or \`assessment.assessment-revised\` just before it in the stream (consecutive-unqualified) (recorded "after assessment.center-tracked", decided "its revocationCheck")`,
      ),
    ]);
  });

  it("holds a revocation check's grade history to the stream's earlier grades", () => {
    // The 2026 不合格 left out: the 2027 check finds no run of two and revokes nothing.
    const forgetful = assessed(2027, [{ year: 2027, grade: '不合格' }], later);
    const payload = forgetful.payload as Record<string, unknown>;
    payload.decision = decideGrade({ score: '50' }, later);
    expect(problems([tracked(), first(), forgetful])).toEqual([
      `${forgetful.id} revocationCheck: the event does not do what its decision decided: inputs \`grades\` of the other years = the stream's earlier \`assessment.assessment-completed\` grades (as any \`assessment.assessment-revised\` left them) (recorded [{"grade":"不合格","year":2026}], decided [])`,
    ]);
  });

  describe('a grade corrected (assessment.assessment-revised)', () => {
    const qualified = decideGrade({ score: '65' }, defaultPolicy);
    /** 2026 corrected from 不合格 to 合格 on 2027-03-01 (after a 不合格 2027 it would otherwise revoke). */
    const revision = (changes: object = {}) =>
      event('c', 'assessment.assessment-revised', {
        year: 2026,
        supportYear: 1,
        previousGrade: '不合格',
        grade: '合格',
        method: 'score',
        indicators: [{ name: 'overall', score: '65.00' }],
        score: qualified.inputs.score,
        gradeReason: null,
        reason: '得分录入错误',
        assessedOn: '2026-12-31',
        revisedOn: '2027-03-01',
        decision: qualified,
        revocationCheck: decideConsecutiveUnqualified({ grades: [{ year: 2026, grade: '合格' }] }, later),
        ...changes,
      });

    /** 2027 graded 不合格 on 2027-12-31, under the version then in force, after the correction of 2026. */
    const graded2027 = () => {
      const graded = assessed(
        2027,
        [
          { year: 2026, grade: '合格' },
          { year: 2027, grade: '不合格' },
        ],
        later,
      );
      (graded.payload as Record<string, unknown>).decision = decideGrade({ score: '50' }, later);
      return graded;
    };

    it('replays its grade and A17.3b decisions, and later checks read the corrected grade', () => {
      const then = graded2027();
      const report = replay([tracked(), first(), revision(), then]);
      expect(report.mismatches).toEqual([]);
      expect([report.decisions, report.matches]).toEqual([7, 7]);
    });

    it('holds its previous grade, its assessment day and its grade history to the stream', () => {
      const wrong = revision({ previousGrade: '良好', assessedOn: '2026-12-30' });
      expect(problems([tracked(), first(), wrong])).toEqual([
        expect.stringContaining(
          '`assessedOn` = `assessedOn` of the stream\'s `assessment.assessment-completed` of `year` (the day whose bands grade the corrected scores) (recorded "2026-12-31", decided "2026-12-30")',
        ),
        expect.stringContaining(
          '`previousGrade` = the stream\'s grade of `year` before it (recorded "不合格", decided "良好")',
        ),
      ]);
    });

    it('takes an A17.3b revocation carrying the check of the revision just before it', () => {
      const run = [
        { year: 2026, grade: '不合格' },
        { year: 2027, grade: '不合格' },
      ];
      const check = decideConsecutiveUnqualified({ grades: run }, later);
      const back = revision({
        previousGrade: '合格',
        grade: '不合格',
        indicators: [{ name: 'overall', score: unqualified.inputs.score }],
        score: unqualified.inputs.score,
        decision: unqualified,
        revisedOn: '2028-03-01',
        revocationCheck: check,
      });
      const report = replay([tracked(), first(), revision(), graded2027(), back, revoked(check)]);
      expect(report.mismatches).toEqual([]);
    });
  });

  describe('a grant decided again on a corrected grade (finance.annual-grant-revised)', () => {
    const opened = () =>
      event('f', 'finance.subsidy-account-opened', {
        centerId: 'f',
        supportYears: [
          { supportYear: 1, calendarYear: 2026 },
          { supportYear: 2, calendarYear: 2027 },
        ],
      });
    const grant = (entryId: string, grade: string, decidedOn: string, policy = defaultPolicy) => {
      const decision = decideAnnualSubsidy(
        { supportYear: 2, previousYearGrade: grade as never, revoked: false },
        policy,
      );
      return event('f', 'finance.grant-decided', {
        centerId: 'f',
        entryId,
        supportYear: 2,
        calendarYear: 2027,
        amountFen: decision.outcome.amountFen,
        decidedOn,
        policyVersion: policy.version,
        basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade },
        decision,
      });
    };
    // 2026 graded 合格 on 2026-12-20 (policy-2026.1 in force); corrected to 良好 on 2027-03-20, when
    // policy-2027.1 is in force: the grant is decided again under policy-2026.1, the first grant's.
    const first = () => grant('g2', '合格', '2026-12-20');
    const revised = () =>
      event('f', 'finance.annual-grant-revised', {
        centerId: 'f',
        supportYear: 2,
        calendarYear: 2027,
        assessedYear: 2026,
        assessedSupportYear: 1,
        previousGrade: '合格',
        grade: '良好',
        revisedOn: '2027-03-20',
        reason: '录入错误',
        previousGrantEntryId: 'g2',
        previousGrantFen: '50000000',
        policyVersion: defaultPolicy.version,
        reversalEntryId: 'r2',
      });

    it('holds it to the policy of the grant it replaces, not the one in force on the revision day', () => {
      const again = grant('g2b', '良好', '2027-03-20');
      expect(problems([opened(), first(), revised(), again])).toEqual([]);
      // Without the revision before it, the same grant is one decided under the wrong policy.
      expect(problems([opened(), first(), again])).toEqual([
        `${again.id} decision: decided under policy-2026.1, but policy-2027.1 was in force on 2027-03-20`,
      ]);
      const underLater = grant('g2c', '良好', '2027-03-20', later);
      expect(problems([opened(), first(), revised(), underLater])).toEqual([
        expect.stringContaining(
          'the decision\'s `policyVersion` = that of the grant it takes back (`previousGrantEntryId`, the stream\'s `finance.grant-decided`) (subsidy-annual) (recorded "policy-2026.1", decided "policy-2027.1")',
        ),
      ]);
    });

    it('holds a year corrected twice to the policy of the first grant, across a policy taking effect in between', () => {
      // 合格 (2026-12-20, policy-2026.1) → 良好 on 2027-03-20 → 优秀 on 2027-04-20: finance decides each grant
      // under the version of the one it replaces, though policy-2027.1 was in force on the first revision day.
      const again = grant('g2b', '良好', '2027-03-20');
      const revisedAgain = event('f', 'finance.annual-grant-revised', {
        ...(revised().payload as object),
        previousGrade: '良好',
        grade: '优秀',
        revisedOn: '2027-04-20',
        previousGrantEntryId: 'g2b',
        previousGrantFen: '75000000',
        reversalEntryId: 'r2b',
      });
      const third = grant('g2c', '优秀', '2027-04-20');
      expect(problems([opened(), first(), revised(), again, revisedAgain, third])).toEqual([]);
      const underLater = grant('g2d', '优秀', '2027-04-20', later);
      expect(problems([opened(), first(), revised(), again, revisedAgain, underLater])).toEqual([
        expect.stringContaining(
          `${underLater.id} decision: the event does not do what its decision decided: after a \`finance.annual-grant-revised\`: the decision's \`policyVersion\` = that of the grant it takes back`,
        ),
      ]);
    });

    it('holds it to the corrected grade the revision names', () => {
      const stale = grant('g2d', '合格', '2027-03-20');
      expect(problems([opened(), first(), revised(), stale])).toEqual([
        expect.stringContaining(
          'after a `finance.annual-grant-revised`: inputs `previousYearGrade` = its `grade` (subsidy-annual) (recorded "良好", decided "合格")',
        ),
      ]);
    });
  });

  it('holds A17.3a decisions to the recognition the stream recorded: its day, policy and deadline', () => {
    const shifted = decideOperatingDeadline(
      { recognizedOn: '2027-03-10', operationStartedOn: '2027-06-01' },
      defaultPolicy,
    );
    const start = event('c', 'assessment.operation-start-recorded', {
      startedOn: '2027-06-01',
      decision: shifted,
    });
    const [problem] = problems([tracked(), start]);
    expect(problem).toContain(
      'inputs `recognizedOn` = `recognizedOn` of the stream\'s `assessment.center-tracked` (recorded "2026-03-10", decided "2027-03-10")',
    );
    expect(problem).toContain(
      `outcome \`deadline\` = \`operatingDeadline\` of the stream's \`assessment.center-tracked\` (recorded "${deadline.outcome.deadline}", decided "2029-03-10")`,
    );
    const opened = event('r', 'reporting.obligations-opened', {
      recognizedOn: '2026-03-10',
      policyVersion: 'policy-2027.1',
      operatingDeadline: deadline.outcome.deadline,
    });
    const started = decideOperatingDeadline(
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-06-01', asOf: '2026-06-03' },
      defaultPolicy,
    );
    const confirmed = event('r', 'reporting.operation-started', {
      startedOn: '2026-06-01',
      confirmedOn: '2026-06-03',
      decision: started,
    });
    expect(problems([opened, confirmed])).toEqual([
      expect.stringContaining(
        'the decision\'s `policyVersion` = `policyVersion` of the stream\'s `reporting.obligations-opened` (recorded "policy-2027.1", decided "policy-2026.1")',
      ),
    ]);
  });

  it('holds eligibility to the policy in force on the acceptance day the candidacy recorded', () => {
    const opened = event('a', 'review.candidacy-opened', {
      acceptedAt: '2027-03-01T02:00:00.000Z',
      facts: eligible,
    });
    const decided = (policy = defaultPolicy) =>
      event('a', 'review.eligibility-decided', {
        eligible: true,
        decision: decideEligibility(eligible, policy),
      });
    const stale = decided();
    expect(problems([opened, stale])).toEqual([
      `${stale.id} decision: decided under policy-2026.1, but policy-2027.1 was in force on 2027-03-01`,
    ]);
    expect(problems([opened, decided(later)])).toEqual([]);
    // Without the candidacy's acceptance in the store, there is no day to hold it to.
    expect(problems([decided()])).toEqual([]);
  });

  it('holds an objection to the publicity its stream recorded', () => {
    const publicity = decidePublicityEnd({ publishedOn: '2026-01-30' }, defaultPolicy, bundledCalendar());
    const started = event('p', 'review.publicity-started', {
      publishedOn: '2026-01-30',
      lastDay: publicity.outcome.lastDay,
      endsAt: publicity.outcome.endsAtExclusive,
      calendarVersion: publicity.calendarVersion,
      decision: publicity,
    });
    // Admitted against a period a week longer than the one published.
    const admissibility = decideObjectionAdmissible(
      {
        receivedAt: '2026-02-10T03:00:00.000Z',
        publishedOn: '2026-01-30',
        publicityEndsAtExclusive: '2026-02-14T00:00:00+08:00',
        inWriting: true,
        realName: '张三',
        contact: '13800000000',
      },
      defaultPolicy,
    );
    const raised = event('p', 'review.objection-raised', {
      objector: { name: '张三', contact: '13800000000' },
      raisedAt: '2026-02-10T03:00:00.000Z',
      admissibility,
    });
    expect(problems([started, raised])).toEqual([
      `${raised.id} admissibility: the event does not do what its decision decided: inputs \`publicityEndsAtExclusive\` = \`endsAt\` of the stream's \`review.publicity-started\` (recorded "${publicity.outcome.endsAtExclusive}", decided "2026-02-14T00:00:00+08:00")`,
    ]);
  });

  it('holds report deadlines to the recognition policy, then to the one in force the day after the last', () => {
    const opened = event('o', 'reporting.obligations-opened', {
      recognizedOn: '2026-11-10',
      policyVersion: 'policy-2026.1',
    });
    const scheduled = (year: number, quarter: number, follows: string | null, policy = defaultPolicy) => {
      const decision = decideQuarterlyReportDue({ year, quarter }, policy);
      return event('o', 'reporting.report-due-scheduled', {
        kind: 'quarterly',
        period: `${year}-Q${quarter}`,
        periodEnd: decision.outcome.quarterEnd,
        dueOn: decision.outcome.dueDate,
        follows,
        decision,
      });
    };
    const q4 = scheduled(2026, 4, null);
    const staleQ1 = scheduled(2027, 1, '2026-Q4');
    expect(problems([opened, q4, staleQ1])).toEqual([
      `${staleQ1.id} decision: decided under policy-2026.1, but policy-2027.1 was in force on 2027-01-16`,
    ]);
    expect(problems([opened, q4, scheduled(2027, 1, '2026-Q4', later)])).toEqual([]);
    const laterFirst = scheduled(2026, 4, null, later);
    expect(problems([opened, laterFirst])).toEqual([
      expect.stringContaining(
        'the decision\'s `policyVersion` = `policyVersion` of the stream\'s `reporting.obligations-opened` (recorded "policy-2026.1", decided "policy-2027.1")',
      ),
    ]);
  });

  it("holds an expenditure to the policy in force on the day finance took it (the event's occurredAt)", () => {
    const spent = event(
      'f',
      'finance.expenditure-accepted',
      {
        category: 'rent',
        amountFen: '100',
        supportYear: 1,
        spentOn: '2026-12-30',
        decision: decideExpenditure(
          {
            category: 'rent',
            amountFen: '100',
            disbursedFen: '1000',
            spentFen: '0',
            spentOn: '2026-12-30',
            supportYear: 1,
            calendarYear: 2026,
            decidedOn: '2027-01-01',
          },
          defaultPolicy,
        ),
      },
      '2027-01-01T00:30:00+08:00',
    );
    expect(problems([spent])).toEqual([
      `${spent.id} decision: decided under policy-2026.1, but policy-2027.1 was in force on 2027-01-01`,
    ]);
    // Without the policy book the replay does not know which version was in force, and does not guess.
    expect(problems([spent], { ...context, policyInForce: false })).toEqual([]);
  });

  it("holds an expenditure's decision day (rules-2026.8) to the day finance took it: a later one would pass spending not yet made", () => {
    const spending = (decidedOn: string, occurredAt: string) =>
      event(
        'f',
        'finance.expenditure-accepted',
        {
          category: 'rent',
          amountFen: '100',
          supportYear: 2,
          spentOn: '2027-12-30',
          decision: decideExpenditure(
            {
              category: 'rent',
              amountFen: '100',
              disbursedFen: '1000',
              spentFen: '0',
              spentOn: '2027-12-30',
              supportYear: 2,
              calendarYear: 2027,
              decidedOn,
            },
            later,
          ),
        },
        occurredAt,
      );
    // Taken on 2027-05-10 (Asia/Shanghai) for spending dated 2027-12-30, its decision says 2027-12-31.
    const early = spending('2027-12-31', '2027-05-10T02:00:00.000Z');
    expect(problems([early])).toEqual([
      `${early.id} decision: the event does not do what its decision decided: inputs \`decidedOn\` = the day it was decided (Asia/Shanghai, the event's \`occurredAt\`) (from rules-2026.8) (recorded "2027-05-10", decided "2027-12-31")`,
    ]);
    // 2027-12-31 00:30 in Shanghai is still 2027-12-30 in UTC: the day is Shanghai's.
    expect(problems([spending('2027-12-31', '2027-12-30T16:30:00.000Z')])).toEqual([]);
  });
});
