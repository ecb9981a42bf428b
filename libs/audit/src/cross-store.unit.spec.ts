import type { GradeV1 } from '@nqpf/contracts';
import { CalendarRegistry, defaultPolicyRegistry } from '@nqpf/rules';
import * as assessment from '../../../apps/assessment/src/domain/center/center.spec-helper';
import * as account from '../../../apps/finance/src/domain/subsidy-account/testing/given';
import { eligibleFacts } from '../../../apps/reporting/src/domain/obligations/eligible-facts.fixture';
import * as obligations from '../../../apps/reporting/src/domain/obligations/obligations.spec-helper';
import { CrossStoreReplay } from './cross-store';
import { StoreReplay, type EventToReplay } from './replay-events';
import { replayStream } from './replay-stream.spec-helper';

/*
 * Decisions a service copied from another's events (a grade a grant rests on, the A16 re-check a revocation
 * carries, the recognition a center is tracked from), held to the store that recorded the original once
 * every store is read.
 */

const CENTER = assessment.CENTER;

const stream = (streamId: string, events: { type: string; payload: unknown }[]): EventToReplay[] =>
  replayStream(streamId, events, CENTER);

/** Each store replayed as replayStores does (one after another), then held to the others. */
function replayAll(stores: Record<string, EventToReplay[]>) {
  const crossStore = new CrossStoreReplay();
  const context = { policies: defaultPolicyRegistry(), calendars: new CalendarRegistry(), crossStore };
  const reports = Object.entries(stores).map(([name, events]) => {
    const replay = new StoreReplay(name, context);
    events.forEach((e) => replay.take(e));
    return replay.finish();
  });
  const notes = crossStore.finish(new Set(Object.keys(stores)));
  return {
    notes,
    counts: Object.fromEntries(reports.map((r) => [r.store, [r.decisions, r.matches, r.mismatches.length]])),
    problems: reports.flatMap((r) =>
      r.mismatches.map((m) => `${r.store} ${m.eventId} ${m.eventType} ${m.field} ${m.rule}: ${m.reason}`),
    ),
  };
}

// ---- one center's life across four stores, as each service records it ----
const recognized = (recognitionDate = '2026-03-10') =>
  stream(`candidacy-${CENTER}`, [
    {
      type: 'review.center-recognized',
      payload: {
        centerId: CENTER,
        recognitionDate,
        district: '朝阳区',
        operator: { accountId: 'op-1', name: '运营公司', creditCode: '91220101MA14ABCD0Y' },
        callId: 'call-2026',
      },
    },
  ]);

/** Reporting: recognised with eligible facts; in 2027 the premises shrink to 100 m² (A16: revoke). */
const reporting = () =>
  obligations.history({ ...obligations.open('2026-03-10', eligibleFacts), centerId: CENTER } as never, {
    kind: 'report-major-change',
    changeId: 'ch1',
    changes: ['area_changed'],
    description: '场地缩减',
    effectiveOn: '2027-06-01',
    newFacts: { premises: { buildingAreaM2: '100.00' } },
    today: '2027-06-02',
    policy: obligations.policy,
  });
const reChecked = () =>
  reporting().at(-1)! as { type: string; payload: { decision: unknown; evaluatedOn: string } };

/** Assessment: tracked, 2026 graded by score, revoked on reporting's re-check. */
const assessed = (recognizedOn = '2026-03-10', reCheck = reChecked().payload) =>
  assessment.history(assessment.track(recognizedOn), assessment.scored(2026, 40, 45), {
    kind: 'act-on-major-change',
    changeId: 'ch1',
    stillEligible: false,
    decision: reCheck.decision as never,
    evaluatedOn: reCheck.evaluatedOn,
  });
const gradeOf2026 = () =>
  (assessed().find((e) => e.type === 'assessment.assessment-completed')!.payload as { grade: GradeV1 }).grade;

/** Finance: year 1 granted on costs, year 2 on the 2026 grade (A12.3). */
const financed = (grade: GradeV1 = gradeOf2026()) =>
  account.history(
    { ...account.open(), centerId: CENTER },
    account.declare(account.yuan('1000000')),
    account.approve(account.yuan('1000000')),
    account.assessed(1, grade),
  );

const life = () => ({
  review: recognized(),
  reporting: stream(`obligations-${CENTER}`, reporting()),
  assessment: stream(`center-${CENTER}`, assessed()),
  finance: stream(`subsidy-account-${CENTER}`, financed()),
});

describe('decisions copied from another store, held to it (CrossStoreReplay)', () => {
  it('takes a life the services recorded as matching across the stores', () => {
    expect(gradeOf2026()).toBe('良好');
    const run = replayAll(life());
    expect(run.problems).toEqual([]);
    expect(run.notes).toEqual([]);
    expect(run.counts.assessment).toEqual([4, 4, 0]);
  });

  it('counts an annual grant on a grade assessment never gave as a mismatch naming both grades', () => {
    const run = replayAll({ ...life(), finance: stream(`subsidy-account-${CENTER}`, financed('优秀')) });
    expect(run.problems).toEqual([
      expect.stringMatching(
        /^finance e-\d+ finance\.grant-decided decision subsidy-annual: another store does not agree with its decision: inputs `previousYearGrade` = the `grade` of assessment's `assessment\.assessment-completed` of the center for `basis\.assessedYear`, or of an `assessment\.assessment-revised` correcting it \(recorded "良好", decided "优秀"\)$/,
      ),
    ]);
    // Counted once, as a mismatch instead of a match.
    expect(run.counts.finance).toEqual([2, 1, 1]);
  });

  it('takes grants on a grade and on its correction as matching; a grant on a grade the year never had does not', () => {
    // 2026 graded 良好, then corrected to 优秀 at assessment; finance granted on 良好, then again on 优秀.
    const corrected = assessment.history(
      assessment.track('2026-03-10'),
      assessment.scored(2026, 40, 45),
      assessment.revisedTo(2026, '优秀', '2027-03-20'),
    );
    expect(corrected.map((e) => e.type)).toContain('assessment.assessment-revised');
    const regranted = (grade: GradeV1) => [
      ...financed(),
      ...account.given(financed()).when({
        kind: 'revise-grant-on-assessment',
        assessedYear: 2026,
        assessedSupportYear: 1,
        previousGrade: '良好',
        grade,
        reason: '录入错误',
        revisedOn: '2027-03-20',
        reversalEntryId: 'regrant-reversal-1',
        entryId: 'regrant-1',
        policy: account.open().policy,
      }),
    ];
    const run = replayAll({
      ...life(),
      assessment: stream(`center-${CENTER}`, corrected),
      finance: stream(`subsidy-account-${CENTER}`, regranted('优秀')),
    });
    expect(run.problems).toEqual([]);
    expect(run.counts.finance).toEqual([3, 3, 0]);
    const never = replayAll({
      ...life(),
      assessment: stream(`center-${CENTER}`, corrected),
      finance: stream(`subsidy-account-${CENTER}`, regranted('合格')),
    });
    expect(never.problems).toEqual([
      expect.stringContaining('correcting it (recorded "优秀", decided "合格")'),
    ]);
  });

  it('counts an annual grant on a year assessment has no grade for as a mismatch', () => {
    const run = replayAll({
      ...life(),
      assessment: stream(`center-${CENTER}`, assessment.history(assessment.track('2026-03-10'))),
    });
    expect(run.problems).toEqual([
      expect.stringContaining(
        'correcting it (recorded (none), decided "良好"); `basis.assessedSupportYear` = its `supportYear` (recorded (none), decided 1)',
      ),
    ]);
  });

  it('counts an A16 revocation carrying no re-check reporting recorded, or dated otherwise, as a mismatch', () => {
    const says =
      "the decision is that of a `reporting.major-change-evaluated` of the center in reporting's store, and `revokedOn` its `evaluatedOn`";
    const unreported = replayAll({
      ...life(),
      reporting: stream(`obligations-${CENTER}`, reporting().slice(0, -2)),
    });
    expect(unreported.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^assessment e-\\d+ assessment\\.center-revoked decision major-change: another store does not agree with its decision: .*\\(recorded "none of its 0 re-checks", decided "a re-check of 2027-06-02"\\)$`,
        ),
      ),
    ]);
    expect(unreported.problems[0]).toContain(says);
    const later = replayAll({
      ...life(),
      assessment: stream(
        `center-${CENTER}`,
        assessed('2026-03-10', { ...reChecked().payload, evaluatedOn: '2027-07-01' }),
      ),
    });
    expect(later.problems).toEqual([
      expect.stringContaining(
        `${says} (recorded "a re-check of 2027-06-02", decided "a re-check of 2027-07-01")`,
      ),
    ]);
  });

  it("counts a center tracked from another recognition date than review's as a mismatch naming both", () => {
    const run = replayAll({ ...life(), review: recognized('2026-03-09') });
    expect(run.problems).toEqual([
      expect.stringMatching(
        /^assessment e-\d+ assessment\.center-tracked decision operating-deadline: another store does not agree with its decision: inputs `recognizedOn` = the `recognitionDate` of review's `review\.center-recognized` of the center \(recorded "2026-03-09", decided "2026-03-10"\)$/,
      ),
    ]);
  });

  it("holds a payment's A17.3a check to assessment's tracked deadline and recorded starts", () => {
    // Year 1 paid in 2026 with the deadline finance read (recognised 2026-03-10, deadline 2028-03-10).
    const paid = (recognizedOn = '2026-03-10', operationStartedOn: string | null = null) => {
      const opened = account.history(
        { ...account.open(), centerId: CENTER, recognizedOn },
        account.declare(account.yuan('1000000')),
        account.approve(account.yuan('1000000')),
      );
      const facts = {
        recognizedOn,
        deadline: `${Number(recognizedOn.slice(0, 4)) + 2}${recognizedOn.slice(4)}`,
        operationStartedOn,
        policy: account.open().policy,
      };
      const disbursed = account
        .given(opened)
        .when({ ...account.disburse(1, account.yuan('1000')), operatingDeadline: facts });
      expect(disbursed[0]!.payload).toHaveProperty('operatingDeadlineCheck');
      return stream(`subsidy-account-${CENTER}`, [...opened, ...disbursed]);
    };
    expect(replayAll({ ...life(), finance: paid() }).problems).toEqual([]);
    expect(replayAll({ ...life(), finance: paid('2026-03-09') }).problems).toEqual([
      expect.stringMatching(
        /^finance e-\d+ finance\.disbursement-recorded operatingDeadlineCheck operating-deadline: another store does not agree with its decision: inputs `recognizedOn` = the `recognizedOn` of assessment's `assessment\.center-tracked` of the center \(recorded "2026-03-10", decided "2026-03-09"\); outcome `deadline` = the `operatingDeadline` of assessment's `assessment\.center-tracked` \(recorded "2028-03-10", decided "2028-03-09"\)$/,
      ),
    ]);
    expect(replayAll({ ...life(), finance: paid('2026-03-10', '2026-05-01') }).problems).toEqual([
      expect.stringContaining(
        'inputs `operationStartedOn` = the `startedOn` of an `assessment.operation-start-recorded` of the center (recorded (none), decided "2026-05-01")',
      ),
    ]);
  });

  it('says which checks it did not make, and for how many decisions, when a store they need is not read', () => {
    const { review: _r, reporting: _p, ...without } = life();
    const run = replayAll(without);
    expect(run.problems).toEqual([]);
    expect(run.notes).toEqual([
      "cross-store checks NOT made for 2 decisions (stores reporting, review not read): A16 revocations (assessment.center-revoked) against reporting's major-change re-checks (1); tracked centers (assessment.center-tracked) against review's recognition dates (1)",
    ]);
    expect(replayAll({ finance: life().finance }).notes).toEqual([
      "cross-store checks NOT made for 1 decision (store assessment not read): annual grants (finance.grant-decided, subsidy-annual) against assessment's grades (1)",
    ]);
  });
});
