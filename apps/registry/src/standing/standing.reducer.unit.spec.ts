import {
  AssessmentEventTypes,
  FinanceEventTypes,
  GradeV1,
  IntakeEventTypes,
  ReportingEventTypes,
  ReviewEventTypes,
} from '@nqpf/contracts';
import {
  accountOpened,
  centerRevoked,
  deadlinePassed,
  gradeEvent,
  gradeRevisedEvent,
  intakeStory,
  obligationsEnded,
  objectionRaised,
  objectionRuled,
  obligationsOpened,
  reportDue,
  reportOverdue,
  reviewStory,
  startDeclared,
  tracked,
} from './center-story.fixture';
import { decideConsecutiveUnqualified, defaultPolicy } from '@nqpf/rules';
import { foldDocuments } from '@nqpf/projections';
import { envelope } from './event-fixture';
import { awaiting } from './standing.derive';
import { standingReducer } from './standing.projector';
import { reduceStanding } from './standing.reducer';
import { toStandingView } from './standing.view';
import { emptyStanding, StandingRow } from './standing.row';

const C = 'center-1';
const given = (events: ReturnType<typeof intakeStory>, row: StandingRow = emptyStanding(C)) =>
  events.reduce(reduceStanding, row);

describe('standing reducer', () => {
  it('follows an application through intake: district, operator, submission date in Asia/Shanghai', () => {
    const row = given(intakeStory(C, '南关区'));
    expect(row).toMatchObject({
      phase: 'accepted',
      status: 'applying',
      district: '南关区',
      operatorAccountId: `op-${C}`,
      operatorName: '长春创新运营有限公司',
      callId: 'call-2026',
      submittedOn: '2026-03-06',
    });
  });

  it('moves the row (district column, district scope) with a district amended after a return by the office (A3)', () => {
    const [submitted] = intakeStory(C, '南关区');
    const returned = given([
      submitted,
      envelope(IntakeEventTypes.ApplicationReturnedByDistrict, C, {
        applicationId: C,
        district: '南关区',
        revision: 1,
        returnedAt: '2026-03-06T02:00:00Z',
        reasons: ['该中心位于朝阳区'],
      }),
    ]);
    expect(returned).toMatchObject({ phase: 'returned_by_district', district: '南关区' });
    const moved = given(
      [envelope(IntakeEventTypes.ApplicationAmended, C, { applicationId: C, district: '朝阳区' })],
      returned,
    );
    expect(moved).toMatchObject({ phase: 'returned_by_district', district: '朝阳区' });
    // The resubmission carries the new district too; the later story keeps it.
    const [resubmitted, endorsed, accepted] = intakeStory(C, '朝阳区');
    const row = given([resubmitted, endorsed, accepted], moved);
    expect(row).toMatchObject({ phase: 'accepted', district: '朝阳区', submittedOn: '2026-03-06' });
  });

  it('records the eligibility reasons and policy version of the decision, and recognition', () => {
    const row = given([...intakeStory(C, '南关区'), ...reviewStory(C, '南关区', '2026-06-10')]);
    expect(row).toMatchObject({ phase: 'recognised', status: 'recognised', recognizedOn: '2026-06-10' });
    expect(row.eligible).toBe(true);
    expect(row.eligibilityPolicyVersion).toBe('p2026');
    expect(row.eligibilityReasons.map((r) => r.ruleId)).toEqual(['A6.1', 'A6.4']);
  });

  it('gives the same row whatever the interleaving of topics', () => {
    const intake = intakeStory(C, '南关区');
    const review = reviewStory(C, '南关区', '2026-06-10');
    const assessment = [gradeEvent(C, 2026, '合格')];
    const finance = [accountOpened(C, '南关区', '2026-06-10')];
    const inOrder = given([...intake, ...review, ...assessment, ...finance]);
    const reviewFirst = given([...finance, ...review, ...assessment, ...intake]);
    const interleaved = given([
      review[0],
      intake[0],
      assessment[0],
      review[1],
      intake[1],
      ...finance,
      review[2],
      intake[2],
      review[3],
    ]);
    expect(reviewFirst).toEqual(inOrder);
    expect(interleaved).toEqual(inOrder);
  });

  it('shows an ineligible application as rejected with the failed rule', () => {
    const row = given([
      envelope(ReviewEventTypes.ApplicationRejected, C, {
        applicationId: C,
        stage: 'eligibility',
        rejectedAt: 'x',
        ruleIds: ['A6.1'],
        reasons: ['area 4999.99 < 5000'],
      }),
    ]);
    expect(row).toMatchObject({ phase: 'ineligible', status: 'rejected' });
    expect(row.rejection).toEqual({
      stage: 'eligibility',
      ruleIds: ['A6.1'],
      reasons: ['area 4999.99 < 5000'],
    });
  });

  it('shows reviewed once every expert assigned now has reviewed and one inspected (A9.1), not at the first review', () => {
    const [opened, eligible] = reviewStory(C, '南关区', '2026-03-10');
    const e = (type: string, expertId: string) => envelope(type, C, { applicationId: C, expertId });
    const phases = [
      e(ReviewEventTypes.ExpertAssigned, 'e1'),
      e(ReviewEventTypes.ExpertAssigned, 'e2'),
      e(ReviewEventTypes.ExpertReviewRecorded, 'e1'),
      e(ReviewEventTypes.SiteInspectionRecorded, 'e1'),
      e(ReviewEventTypes.ExpertReviewRecorded, 'e2'),
      e(ReviewEventTypes.ExpertAssigned, 'e3'),
      e(ReviewEventTypes.ExpertUnassigned, 'e3'),
      // Unassigned and assigned again, e2 reviews anew (as review counts it): not reviewed until then.
      e(ReviewEventTypes.ExpertUnassigned, 'e2'),
      e(ReviewEventTypes.ExpertAssigned, 'e2'),
      e(ReviewEventTypes.ExpertReviewRecorded, 'e2'),
    ].reduce<{ row: StandingRow; seen: string[] }>(
      ({ row, seen }, event) => {
        const next = reduceStanding(row, event);
        return { row: next, seen: [...seen, next.phase] };
      },
      { row: given([opened!, eligible!]), seen: [] },
    ).seen;
    expect(phases).toEqual([
      'eligible',
      'eligible',
      'eligible',
      'eligible',
      'reviewed',
      'eligible',
      'reviewed',
      'reviewed',
      'eligible',
      'reviewed',
    ]);
  });

  it('keeps the earlier reading on a row written before review progress was kept, until a rebuild', () => {
    const [opened, eligible] = reviewStory(C, '南关区', '2026-03-10');
    const { reviewProgress: _unknown, ...older } = given([opened!, eligible!]);
    const e = (type: string) => envelope(type, C, { applicationId: C, expertId: 'e2' });
    const row = [e(ReviewEventTypes.ExpertAssigned), e(ReviewEventTypes.ExpertReviewRecorded)].reduce(
      reduceStanding,
      older as StandingRow,
    );
    expect(row.phase).toBe('reviewed');
    expect(row.reviewProgress).toBeUndefined();
  });

  it('shows the operating entity a major change reported last (A16), whenever the name from intake arrived', () => {
    const changed = envelope(ReportingEventTypes.MajorChangeReported, C, {
      centerId: C,
      changeId: 'mc1',
      changes: ['operator_changed'],
      description: '运营主体变更',
      effectiveOn: '2027-04-01',
      reportedOn: '2027-04-03',
      newFacts: { operator: { name: ' 长春新运营有限公司 ', creditCode: 'x' } },
    });
    const before = given([...intakeStory(C, '南关区'), changed]);
    const after = given([changed, ...intakeStory(C, '南关区')]);
    for (const row of [before, after])
      expect(toStandingView(row, '2027-04-10').operator.name).toBe('长春新运营有限公司');
    // A change effective earlier, reported after it, does not bring back an entity already replaced.
    const earlier = envelope(ReportingEventTypes.MajorChangeReported, C, {
      centerId: C,
      changeId: 'mc0',
      changes: ['operator_changed'],
      description: '运营主体变更（补报）',
      effectiveOn: '2027-02-01',
      reportedOn: '2027-04-20',
      newFacts: { operator: { name: '长春旧运营有限公司', creditCode: 'y' } },
    });
    expect(toStandingView(reduceStanding(before, earlier), '2027-04-21').operator.name).toBe(
      '长春新运营有限公司',
    );
  });

  describe("the operating entity's unified social credit code: from the events that give its name, as they do", () => {
    const CODE = '91220101MA00000000';
    const RECOGNISED_CODE = 'c';
    const facts = (creditCode: string) => ({
      operator: { name: '长春创新运营有限公司', creditCode },
    });
    const drafted = (creditCode: string) =>
      envelope(IntakeEventTypes.ApplicationDrafted, C, {
        applicationId: C,
        callId: 'call-2026',
        operatorAccountId: `op-${C}`,
        district: '南关区',
        facts: facts(creditCode),
        materials: [],
      });
    const amended = (creditCode: string) =>
      envelope(IntakeEventTypes.ApplicationAmended, C, { applicationId: C, facts: facts(creditCode) });
    const codeOf = (row: StandingRow) => toStandingView(row, '2027-04-10').operator.creditCode;
    const change = (changeId: string, effectiveOn: string, reportedOn: string, operator: object) =>
      envelope(ReportingEventTypes.MajorChangeReported, C, {
        centerId: C,
        changeId,
        changes: ['operator_changed'],
        description: '运营主体变更',
        effectiveOn,
        reportedOn,
        newFacts: { operator },
      });

    it("takes intake's drafted, amended and submitted facts, the latest replacing the one before", () => {
      expect(given([])).toMatchObject({ operatorCreditCode: null });
      expect(codeOf(given([]))).toBeNull();
      const draft = given([drafted('91220101MA0000000A')]);
      expect(draft.operatorCreditCode).toBe('91220101MA0000000A');
      const amendedRow = given([amended('91220101MA0000000B')], draft);
      expect(amendedRow.operatorCreditCode).toBe('91220101MA0000000B');
      // An amendment of the materials alone leaves it.
      const materialsOnly = envelope(IntakeEventTypes.ApplicationAmended, C, {
        applicationId: C,
        materials: [],
      });
      expect(given([materialsOnly], amendedRow).operatorCreditCode).toBe('91220101MA0000000B');
      // intakeStory: submitted (and accepted, which does not give the name either) with CODE.
      expect(given(intakeStory(C, '南关区'), amendedRow).operatorCreditCode).toBe(CODE);
      expect(codeOf(given(intakeStory(C, '南关区')))).toBe(CODE);
    });

    it("takes review's recognition only while intake's has not arrived, which then replaces it", () => {
      const reviewOnly = given(reviewStory(C, '南关区', '2026-03-10'));
      expect(reviewOnly.operatorCreditCode).toBe(RECOGNISED_CODE);
      expect(given(intakeStory(C, '南关区'), reviewOnly).operatorCreditCode).toBe(CODE);
      const intakeFirst = given([...intakeStory(C, '南关区'), ...reviewStory(C, '南关区', '2026-03-10')]);
      expect(intakeFirst.operatorCreditCode).toBe(CODE);
    });

    it('shows the code of the latest effective major change naming one (A16), whenever the intake code arrived', () => {
      const changed = change('mc1', '2027-04-01', '2027-04-03', {
        name: '长春新运营有限公司',
        creditCode: ' 91220101MA0000000N ',
      });
      const before = given([...intakeStory(C, '南关区'), changed]);
      const after = given([changed, ...intakeStory(C, '南关区')]);
      for (const row of [before, after]) {
        expect(codeOf(row)).toBe('91220101MA0000000N');
        // Intake's stays as intake recorded it.
        expect(row.operatorCreditCode).toBe(CODE);
      }
      // A change effective earlier, reported after it, does not bring back an entity already replaced.
      const earlier = change('mc0', '2027-02-01', '2027-04-20', {
        name: '长春旧运营有限公司',
        creditCode: '91220101MA0000000O',
      });
      expect(codeOf(reduceStanding(before, earlier))).toBe('91220101MA0000000N');
      // A later change naming a new code replaces it; one naming only the name (a rename) leaves it.
      const renamed = change('mc2', '2027-06-01', '2027-06-02', { name: '长春更名运营有限公司' });
      const renamedRow = reduceStanding(before, renamed);
      expect(toStandingView(renamedRow, '2027-06-10').operator).toMatchObject({
        name: '长春更名运营有限公司',
        creditCode: '91220101MA0000000N',
      });
      const recoded = change('mc3', '2027-05-01', '2027-06-20', { creditCode: '91220101MA0000000R' });
      // Effective after the last change naming a code, though before the rename: the code is the latest.
      expect(toStandingView(reduceStanding(renamedRow, recoded), '2027-06-21').operator).toMatchObject({
        name: '长春更名运营有限公司',
        creditCode: '91220101MA0000000R',
      });
    });

    it('reads null on a row written before the code was kept, until a rebuild or an event that gives it', () => {
      const { operatorCreditCode: _unknown, ...older } = given(intakeStory(C, '南关区'));
      expect(codeOf(older as StandingRow)).toBeNull();
      expect(
        given(
          [envelope(IntakeEventTypes.ApplicationEndorsed, C, { applicationId: C })],
          older as StandingRow,
        ),
      ).not.toHaveProperty('operatorCreditCode');
      expect(given(intakeStory(C, '南关区'), older as StandingRow).operatorCreditCode).toBe(CODE);
    });
  });

  it('holds the phase at objection pending until every objection is ruled, then publicity passed', () => {
    const o = (type: string, objectionId: string) => envelope(type, C, { applicationId: C, objectionId });
    const row = given([
      envelope(ReviewEventTypes.PublicityStarted, C, { applicationId: C, lastDay: '2026-02-06' }),
      objectionRaised(C, 'o1', '2026-02-02T10:00:00+08:00'),
      objectionRaised(C, 'o2', '2026-02-03T10:00:00+08:00'),
      envelope(ReviewEventTypes.PublicityEnded, C, { applicationId: C, pendingObjectionIds: ['o1', 'o2'] }),
      o(ReviewEventTypes.ObjectionDismissed, 'o1'),
    ]);
    expect(row).toMatchObject({
      phase: 'objection_pending',
      pendingObjections: ['o2'],
      publicityLastDay: '2026-02-06',
    });
    expect(reduceStanding(row, o(ReviewEventTypes.ObjectionDismissed, 'o2')).phase).toBe('publicity_passed');
  });

  it('never counts a letter A9.4 refused as pending: review.objection-refused leaves the standing as it was', () => {
    const refused = envelope(ReviewEventTypes.ObjectionRefused, C, {
      applicationId: C,
      objectionId: 'o9',
      objector: {},
      content: '匿名来信',
      receivedAt: '2026-02-08T01:00:00.000Z',
      letter: { reference: '长科收〔2026〕140号', enteredAt: '2026-02-09T01:00:00.000Z' },
      admissibility: {},
    });
    const publicity = envelope(ReviewEventTypes.PublicityStarted, C, {
      applicationId: C,
      lastDay: '2026-02-06',
    });
    const ended = envelope(ReviewEventTypes.PublicityEnded, C, { applicationId: C, pendingObjectionIds: [] });
    for (const before of [given([publicity]), given([publicity, ended])]) {
      const after = reduceStanding(before, refused);
      expect(after).toEqual(before);
      expect(after.pendingObjections).toEqual([]);
    }
    expect(given([publicity, ended, refused]).phase).toBe('publicity_passed');
  });

  describe('A9.4: since when an objection is pending (objectionPendingSince, objectionPendingDays)', () => {
    const publicity = envelope(ReviewEventTypes.PublicityStarted, C, {
      applicationId: C,
      lastDay: '2026-02-06',
    });
    const ended = (pending: string[]) =>
      envelope(ReviewEventTypes.PublicityEnded, C, { applicationId: C, pendingObjectionIds: pending });
    const pendingOf = (row: StandingRow, today: string) => {
      const { objectionPendingSince, objectionPendingDays } = toStandingView(row, today);
      return { objectionPendingSince, objectionPendingDays };
    };

    it('is the day, in Asia/Shanghai, the first objection still pending was received, and counts days when read', () => {
      const row = given([
        publicity,
        // 18:30 UTC on 2 February is 02:30 on 3 February in Shanghai.
        objectionRaised(C, 'o1', '2026-02-02T18:30:00Z'),
        objectionRaised(C, 'o2', '2026-02-05T09:00:00+08:00'),
        ended(['o1', 'o2']),
      ]);
      expect(row.objectionsReceivedOn).toEqual({ o1: '2026-02-03', o2: '2026-02-05' });
      expect(pendingOf(row, '2026-02-03')).toEqual({
        objectionPendingSince: '2026-02-03',
        objectionPendingDays: 0,
      });
      expect(pendingOf(row, '2026-02-20')).toEqual({
        objectionPendingSince: '2026-02-03',
        objectionPendingDays: 17,
      });
      // The first ruled (dismissed), the one still pending counts from its own day; ruled too, none.
      const first = reduceStanding(row, objectionRuled(C, 'o1', false, '2026-02-10T10:00:00+08:00'));
      expect(first.objectionsReceivedOn).toEqual({ o2: '2026-02-05' });
      expect(pendingOf(first, '2026-02-20')).toEqual({
        objectionPendingSince: '2026-02-05',
        objectionPendingDays: 15,
      });
      const both = reduceStanding(first, objectionRuled(C, 'o2', false, '2026-02-11T10:00:00+08:00'));
      expect(both.phase).toBe('publicity_passed');
      expect(pendingOf(both, '2026-02-20')).toEqual({
        objectionPendingSince: null,
        objectionPendingDays: null,
      });
    });

    it('is null outside objection_pending: an upheld objection rejects the application', () => {
      const row = given([publicity, objectionRaised(C, 'o1', '2026-02-02T10:00:00+08:00')]);
      expect(pendingOf(row, '2026-02-04').objectionPendingSince).toBe('2026-02-02');
      const upheld = [
        objectionRuled(C, 'o1', true, '2026-02-09T10:00:00+08:00'),
        envelope(ReviewEventTypes.ApplicationRejected, C, {
          applicationId: C,
          stage: 'objection',
          rejectedAt: '2026-02-09T10:00:00+08:00',
          ruleIds: ['A9.4'],
          reasons: ['异议成立'],
        }),
      ].reduce(reduceStanding, row);
      expect(upheld).toMatchObject({ phase: 'rejected', objectionsReceivedOn: {} });
      expect(pendingOf(upheld, '2026-02-20')).toEqual({
        objectionPendingSince: null,
        objectionPendingDays: null,
      });
    });

    it('is unknown (null), never a later day, on a row stored before the days were kept, until a rebuild', () => {
      const { objectionsReceivedOn: _absent, ...stored } = given([
        publicity,
        objectionRaised(C, 'o1', '2026-02-02T10:00:00+08:00'),
      ]);
      expect(pendingOf(stored, '2026-02-04')).toEqual({
        objectionPendingSince: null,
        objectionPendingDays: null,
      });
      // A second objection read after the upgrade: its day is known, o1's is not — still unknown.
      const later = reduceStanding(stored, objectionRaised(C, 'o2', '2026-02-04T10:00:00+08:00'));
      expect(later.objectionsReceivedOn).toEqual({ o2: '2026-02-04' });
      expect(pendingOf(later, '2026-02-05').objectionPendingSince).toBeNull();
    });
  });

  it('counts a run of 不合格 only over consecutive years (case 10: not two in a row)', () => {
    const row = given([
      gradeEvent(C, 2027, '不合格'),
      gradeEvent(C, 2028, '合格'),
      gradeEvent(C, 2029, '不合格'),
    ]);
    expect(row.grades).toEqual({ 2027: '不合格', 2028: '合格', 2029: '不合格' });
    expect(row.latestGrade).toBe('不合格');
    expect(row.consecutiveUnqualified).toBe(1);
    expect(reduceStanding(row, gradeEvent(C, 2030, '不合格')).consecutiveUnqualified).toBe(2);
    // A qualified year ends the run: 2027 不合格, 2028 合格 is 0 — the next 不合格 does not revoke.
    const recovered = given([gradeEvent(C, 2027, '不合格'), gradeEvent(C, 2028, '合格')]);
    expect(recovered.consecutiveUnqualified).toBe(0);
  });

  it('follows a corrected grade: the history, the latest grade and the run of 不合格 (assessment.assessment-revised)', () => {
    const row = given([gradeEvent(C, 2027, '合格'), gradeEvent(C, 2028, '不合格')]);
    expect(row.consecutiveUnqualified).toBe(1);
    const corrected = reduceStanding(row, gradeRevisedEvent(C, 2028, '不合格', '良好'));
    expect(corrected.grades).toEqual({ 2027: '合格', 2028: '良好' });
    expect(corrected.latestGrade).toBe('良好');
    expect(corrected.consecutiveUnqualified).toBe(0);
    // 2027 corrected to 不合格 joins 2028 不合格: a run of two (assessment revokes in the same append).
    const run = reduceStanding(row, gradeRevisedEvent(C, 2027, '合格', '不合格'));
    expect(run.grades).toEqual({ 2027: '不合格', 2028: '不合格' });
    expect(run.consecutiveUnqualified).toBe(2);
  });

  it('counts the run ending with the latest year assessed; a late year that revoked is in the revocation', () => {
    const grades: [number, GradeV1][] = [
      [2027, '不合格'],
      [2029, '合格'],
      [2028, '不合格'],
    ];
    const row = given(grades.map(([year, grade]) => gradeEvent(C, year, grade)));
    const rule = decideConsecutiveUnqualified(
      { grades: grades.map(([year, grade]) => ({ year, grade })) },
      defaultPolicy,
    );
    expect(rule.outcome).toMatchObject({ revoke: true, longestRun: 2 });
    expect(row.latestGrade).toBe('合格');
    expect(row.consecutiveUnqualified).toBe(0);
    // Assessed out of order, the run still ends with the latest year: 2028 then 2027 is two.
    const late = given([gradeEvent(C, 2028, '不合格'), gradeEvent(C, 2027, '不合格')]);
    expect(late.consecutiveUnqualified).toBe(2);
    // A gap between assessed years is no run: 2027 and 2029 are not consecutive.
    const gap = given([gradeEvent(C, 2027, '不合格'), gradeEvent(C, 2029, '不合格')]);
    expect(gap.consecutiveUnqualified).toBe(1);
  });

  it('drops the reports of periods ended after the revocation day when the obligations end, keeping those before', () => {
    const row = given([
      reportDue(C, '2026-Q2', '2026-07-15'),
      reportDue(C, '2026-Q3', '2026-10-15'),
      reportOverdue(C, '2026-Q2', '2026-07-15'),
      obligationsEnded(C, '2026-09-01'),
    ]);
    expect(row).toMatchObject({ reportsDue: 0, reportsOverdue: 1, obligationsEndedOn: '2026-09-01' });
    expect(Object.keys(row.reports)).toEqual(['quarterly:2026-Q2']);
    expect(reduceStanding(row, reportDue(C, '2026-Q4', '2027-01-15')).reportsDue).toBe(0);
    // Marked overdue after the revocation's date (read late): 2026-Q2 ended (06-30) before it, still owed.
    const lateRead = given([
      reportDue(C, '2026-Q2', '2026-07-15'),
      reportOverdue(C, '2026-Q2', '2026-07-15'),
      obligationsEnded(C, '2026-07-10'),
    ]);
    expect(lateRead).toMatchObject({
      reportsOverdue: 1,
      reports: { 'quarterly:2026-Q2': { state: 'overdue' } },
    });
  });

  it('keeps a report owed after a revocation in January, due until its deadline, overdue after, until filed (A14–A15)', () => {
    // Revoked 2029-01-20: the 2028 annual report (due 2029-01-31) is still owed; 2029-Q1 is not.
    const ended = given([
      ...reviewStory(C, '南关区', '2026-03-10'),
      reportDue(C, '2028', '2029-01-31'),
      reportDue(C, '2028-Q4', '2029-01-15'),
      reportOverdue(C, '2028-Q4', '2029-01-15'),
      reportDue(C, '2029-Q1', '2029-04-15'),
      obligationsEnded(C, '2029-01-20'),
    ]);
    expect(ended).toMatchObject({ reportsDue: 1, reportsOverdue: 1 });
    expect(Object.keys(ended.reports).sort()).toEqual(['annual:2028', 'quarterly:2028-Q4']);
    // Reporting scheduled a period ended by that day only after the end (read before the recognition): owed.
    expect(reduceStanding(ended, reportDue(C, '2028-Q3', '2028-10-15')).reportsDue).toBe(2);
    const overdue = reduceStanding(ended, reportOverdue(C, '2028', '2029-01-31'));
    expect(overdue).toMatchObject({ reportsDue: 0, reportsOverdue: 2 });
    const filed = reduceStanding(
      overdue,
      envelope(ReportingEventTypes.ReportFiled, C, {
        centerId: C,
        kind: 'annual',
        period: '2028',
        dueOn: '2029-01-31',
        filedOn: '2029-02-10',
        late: true,
      }),
    );
    expect(filed).toMatchObject({ reportsOverdue: 1, reports: { 'annual:2028': { state: 'filed_late' } } });
  });

  it('counts reports due and overdue; a late filing clears the overdue one', () => {
    const row = given([
      reportDue(C, '2026-Q2', '2026-07-15'),
      reportDue(C, '2026-Q3', '2026-10-15'),
      reportOverdue(C, '2026-Q2', '2026-07-15'),
    ]);
    expect(row).toMatchObject({ reportsDue: 1, reportsOverdue: 1 });
    const filed = reduceStanding(
      row,
      envelope(ReportingEventTypes.ReportFiled, C, {
        centerId: C,
        kind: 'quarterly',
        period: '2026-Q2',
        dueOn: '2026-07-15',
        late: true,
      }),
    );
    expect(filed).toMatchObject({ reportsDue: 1, reportsOverdue: 0 });
    expect(filed.reports['quarterly:2026-Q2'].state).toBe('filed_late');
  });

  it('shows operation start and then revocation with its rule and reason', () => {
    const recognised = given(reviewStory(C, '南关区', '2026-03-10'));
    const operating = reduceStanding(
      recognised,
      envelope(ReportingEventTypes.OperationStarted, C, { centerId: C, startedOn: '2027-01-05' }),
    );
    expect(operating).toMatchObject({
      phase: 'operating',
      status: 'recognised',
      operationStartedOn: '2027-01-05',
    });
    const revoked = reduceStanding(
      operating,
      envelope(AssessmentEventTypes.CenterRevoked, C, {
        centerId: C,
        revokedOn: '2029-02-20',
        ruleId: 'A17.3b',
        reason: 'consecutive-unqualified',
        explanation: { zh: '连续两年不合格', en: 'unqualified two years in a row' },
      }),
    );
    expect(revoked).toMatchObject({
      phase: 'revoked',
      status: 'revoked',
      revokedOn: '2029-02-20',
      revocationRule: 'A17.3b',
      revocationReason: 'consecutive-unqualified',
    });
  });

  it("puts a returned application in the operator's work, and the list, publicity and objection rulings in the bureau's", () => {
    const row = emptyStanding(C);
    expect(awaiting(row, 'returned_by_district')).toEqual(['operator:resubmission']);
    expect(awaiting(row, 'returned_for_supplement')).toEqual(['operator:resubmission']);
    expect(awaiting(row, 'reviewed')).toEqual(['bureau:listing']);
    expect(awaiting(row, 'listed')).toEqual(['bureau:publicity']);
    expect(awaiting(row, 'objection_pending')).toEqual(['bureau:objection-ruling']);
    for (const phase of ['eligible', 'in_publicity', 'not_listed', 'rejected'] as const)
      expect(awaiting(row, phase)).toEqual([]);
  });

  it('says who must act next: the signatures still missing once publicity passed, a declared start to judge', () => {
    const passed = given([
      envelope(ReviewEventTypes.PublicityStarted, C, { applicationId: C, lastDay: '2026-02-06' }),
      envelope(ReviewEventTypes.PublicityEnded, C, { applicationId: C, pendingObjectionIds: [] }),
    ]);
    expect(passed.awaiting).toEqual(['district:signature', 'bureau:signature']);
    const signed = (party: string) =>
      envelope(ReviewEventTypes.AgreementSigned, C, { applicationId: C, party, district: '南关区' });
    expect(reduceStanding(passed, signed('district')).awaiting).toEqual(['bureau:signature']);
    expect(given(intakeStory(C, '南关区').slice(0, 1)).awaiting).toEqual(['district:endorsement']);
    expect(given(intakeStory(C, '南关区').slice(0, 2)).awaiting).toEqual(['bureau:acceptance']);

    const recognised = given(reviewStory(C, '南关区', '2026-03-10'));
    expect(recognised.awaiting).toEqual(['operator:operation-start']);
    const declared = reduceStanding(
      recognised,
      envelope(ReportingEventTypes.OperationStartDeclared, C, {
        centerId: C,
        startedOn: '2026-05-01',
        declaredOn: '2026-05-02',
      }),
    );
    expect(declared.awaiting).toEqual(['district:operation-start']);
    const rejected = envelope(ReportingEventTypes.OperationStartRejected, C, {
      centerId: C,
      reason: '未见运营',
    });
    // Rejected, the start is the operator's to declare again (A17.3a).
    expect(reduceStanding(declared, rejected).awaiting).toEqual(['operator:operation-start']);
    const started = envelope(ReportingEventTypes.OperationStarted, C, {
      centerId: C,
      startedOn: '2026-05-01',
    });
    expect(reduceStanding(declared, started)).toMatchObject({ phase: 'operating', awaiting: [] });

    // Year-1 costs declared wait for the bureau's approval (A12.2), until it is given.
    const costs = reduceStanding(
      recognised,
      envelope(FinanceEventTypes.Year1CostsDeclared, C, { centerId: C, declarationId: 'd1' }),
    );
    expect(costs.awaiting).toEqual(['bureau:year1-costs', 'operator:operation-start']);
    const approved = envelope(FinanceEventTypes.Year1CostsApproved, C, { centerId: C, declarationId: 'd1' });
    expect(reduceStanding(costs, approved).awaiting).toEqual(['operator:operation-start']);
  });

  it("puts a start still to declare in the operator's work until it is declared, the deadline passes or the center is revoked (A17.3a)", () => {
    const recognised = given([
      ...reviewStory(C, '南关区', '2026-03-10'),
      obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
    ]);
    expect(recognised.awaiting).toEqual(['operator:operation-start']);
    // Not yet recognised: nothing to declare.
    expect(given(intakeStory(C, '南关区')).awaiting).not.toContain('operator:operation-start');
    const declared = reduceStanding(
      recognised,
      startDeclared(C, '2026-03-10', '2028-03-10', '2028-03-20', {
        deadline: '2028-03-10',
        declarationsCloseOn: '2028-03-25',
      }),
    );
    expect(declared.awaiting).toEqual(['district:operation-start']);
    // Reporting recorded the deadline passed without a start: declarations are closed, revocation follows.
    const passed = reduceStanding(
      recognised,
      deadlinePassed(C, '2026-03-10', '2028-03-10', '2028-03-26', '2028-03-25'),
    );
    expect(passed).toMatchObject({
      phase: 'recognised',
      operatingDeadlinePassedOn: '2028-03-26',
      awaiting: [],
    });
    // Obligations ended (a revocation reporting read before assessment's reached the registry).
    expect(reduceStanding(recognised, obligationsEnded(C, '2027-05-01')).awaiting).toEqual([]);
    const revoked = envelope(AssessmentEventTypes.CenterRevoked, C, {
      centerId: C,
      revokedOn: '2028-03-11',
      ruleId: 'A17.3a',
      reason: 'not-operating-within-deadline',
    });
    expect(reduceStanding(recognised, revoked).awaiting).toEqual([]);
    // The same whatever the order of the topics: reporting's deadline before review's recognition.
    const reportingFirst = given([
      obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
      deadlinePassed(C, '2026-03-10', '2028-03-10', '2028-03-26', '2028-03-25'),
      ...reviewStory(C, '南关区', '2026-03-10'),
    ]);
    expect(reportingFirst.awaiting).toEqual([]);
  });

  it("puts a report overdue and not filed in the operator's work until filed, after a revocation too (A14, A15)", () => {
    const operating = given([
      ...reviewStory(C, '南关区', '2026-03-10'),
      envelope(ReportingEventTypes.OperationStarted, C, { centerId: C, startedOn: '2026-04-01' }),
    ]);
    expect(operating.awaiting).toEqual([]);
    // Merely due (reporting schedules the next report at once): not yet the operator's work.
    const due = reduceStanding(operating, reportDue(C, '2026-Q2', '2026-07-15'));
    expect(due.awaiting).toEqual([]);
    const overdue = reduceStanding(due, reportOverdue(C, '2026-Q2', '2026-07-15'));
    expect(overdue.awaiting).toEqual(['operator:reports']);
    const filed = (late: boolean) =>
      envelope(ReportingEventTypes.ReportFiled, C, {
        centerId: C,
        kind: 'quarterly',
        period: '2026-Q2',
        dueOn: '2026-07-15',
        late,
      });
    expect(reduceStanding(due, filed(false)).awaiting).toEqual([]);
    expect(reduceStanding(overdue, filed(true)).awaiting).toEqual([]);
    // Another report still overdue keeps it; one only due does not.
    const two = reduceStanding(overdue, reportDue(C, '2026-Q3', '2026-10-15'));
    expect(reduceStanding(two, filed(true)).awaiting).toEqual([]);
    const twoOverdue = reduceStanding(two, reportOverdue(C, '2026-Q3', '2026-10-15'));
    expect(reduceStanding(twoOverdue, filed(true)).awaiting).toEqual(['operator:reports']);
    // Revoked: an overdue report of a period lived before stays owed, and reporting takes it (A14–A15).
    const ended = reduceStanding(overdue, obligationsEnded(C, '2026-09-01'));
    expect(ended).toMatchObject({ reportsOverdue: 1, awaiting: ['operator:reports'] });
    const revoked = reduceStanding(
      ended,
      envelope(AssessmentEventTypes.CenterRevoked, C, {
        centerId: C,
        revokedOn: '2026-09-01',
        ruleId: 'A17.3b',
        reason: 'consecutive-unqualified',
      }),
    );
    expect(revoked).toMatchObject({ phase: 'revoked', awaiting: ['operator:reports'] });
    expect(reduceStanding(revoked, filed(true)).awaiting).toEqual([]);
  });

  describe('A17.3a: the day declarations of a start made by the deadline close (startDeclarationsCloseOn)', () => {
    // Public case 11: recognised 2026-03-10, deadline 2028-03-10, declarations until 2028-03-25.
    const recognised = () => given(reviewStory(C, '南关区', '2026-03-10'));
    const window = { deadline: '2028-03-10', declarationsCloseOn: '2028-03-25' };

    it('is null until a reporting event carries it, then the day reporting recorded at recognition', () => {
      expect(recognised().startDeclarationsCloseOn).toBeNull();
      const opened = reduceStanding(
        recognised(),
        obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
      );
      expect(opened).toMatchObject({ phase: 'recognised', startDeclarationsCloseOn: '2028-03-25' });
    });

    it('stays unknown on obligations opened before reporting kept it, and comes with a later declaration or the deadline passing', () => {
      const openedBefore = reduceStanding(recognised(), obligationsOpened(C, '2026-03-10', '2028-03-10'));
      expect(openedBefore.startDeclarationsCloseOn).toBeNull();
      const declared = reduceStanding(
        openedBefore,
        startDeclared(C, '2026-03-10', '2028-03-10', '2028-03-20', window),
      );
      expect(declared).toMatchObject({
        startDeclarationsCloseOn: '2028-03-25',
        declaredStart: { startedOn: '2028-03-10', declaredOn: '2028-03-20' },
        awaiting: ['district:operation-start'],
      });
      const passed = reduceStanding(
        openedBefore,
        deadlinePassed(C, '2026-03-10', '2028-03-10', '2028-03-26', '2028-03-25'),
      );
      expect(passed.startDeclarationsCloseOn).toBe('2028-03-25');
    });

    it('keeps what it knows when a later event was recorded without it (a declaration or a fact from before)', () => {
      const opened = reduceStanding(
        recognised(),
        obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
      );
      const declaredBefore = reduceStanding(
        opened,
        envelope(ReportingEventTypes.OperationStartDeclared, C, {
          centerId: C,
          startedOn: '2028-03-01',
          declaredOn: '2028-03-02',
        }),
      );
      expect(declaredBefore.startDeclarationsCloseOn).toBe('2028-03-25');
      const passedBefore = reduceStanding(
        opened,
        deadlinePassed(C, '2026-03-10', '2028-03-10', '2028-03-11'),
      );
      expect(passedBefore.startDeclarationsCloseOn).toBe('2028-03-25');
    });

    it('gives the same row whatever the interleaving of reporting with the other topics', () => {
      const review = reviewStory(C, '南关区', '2026-03-10');
      const reporting = [
        obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
        startDeclared(C, '2026-03-10', '2028-03-10', '2028-03-20', window),
      ];
      const assessment = [tracked(C, '2026-03-10', '2028-03-10')];
      const inOrder = given([...intakeStory(C, '南关区'), ...review, ...reporting, ...assessment]);
      const reportingFirst = given([...reporting, ...assessment, ...review, ...intakeStory(C, '南关区')]);
      expect(reportingFirst).toEqual(inOrder);
      expect(inOrder).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
      });
    });

    it('answers null on a row stored before the field was kept, and fills it from the next event carrying it', () => {
      const { startDeclarationsCloseOn: _absent, ...stored } = recognised();
      expect('startDeclarationsCloseOn' in stored).toBe(false);
      expect(toStandingView(stored, '2028-03-12').startDeclarationsCloseOn).toBeNull();
      const passed = reduceStanding(
        stored,
        deadlinePassed(C, '2026-03-10', '2028-03-10', '2028-03-26', '2028-03-25'),
      );
      expect(toStandingView(passed, '2028-03-26').startDeclarationsCloseOn).toBe('2028-03-25');
    });
  });

  it('gives the same rows when the projection settles derived fields once per fold as when they follow every event', () => {
    const life = [
      ...intakeStory(C, '南关区'),
      ...reviewStory(C, '南关区', '2026-03-10'),
      accountOpened(C, '南关区', '2026-03-10'),
      tracked(C, '2026-03-10', '2028-03-10'),
      obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
      reportDue(C, '2026-Q2', '2026-07-15'),
      reportOverdue(C, '2026-Q2', '2026-07-15'),
      gradeEvent(C, 2026, '不合格'),
      gradeEvent(C, 2027, '不合格'),
      centerRevoked(C, '2028-03-15'),
      obligationsEnded(C, '2028-03-15'),
    ];
    for (let n = 1; n <= life.length; n++) {
      const perEvent = life.slice(0, n).reduce(reduceStanding, emptyStanding(C));
      // A rebuild or an as-of: one fold, settled once at the end.
      expect(foldDocuments(standingReducer, life.slice(0, n)).get(C)).toEqual(perEvent);
      // The live runner: a batch at a time, each settled when saved.
      const before = foldDocuments(standingReducer, life.slice(0, n - 1));
      expect(foldDocuments(standingReducer, life.slice(n - 1, n), before).get(C)).toEqual(perEvent);
    }
    // Unsettled, the fold's phase would still be the first event's.
    const unsettled = foldDocuments({ ...standingReducer, settle: undefined }, life).get(C)!;
    expect(unsettled.phase).not.toBe(life.reduce(reduceStanding, emptyStanding(C)).phase);
  });

  it('leaves the row unchanged on an event it does not follow', () => {
    const row = given(intakeStory(C, '南关区'));
    expect(reduceStanding(row, envelope(IntakeEventTypes.CallOpened, null, { callId: 'c' }))).toBe(row);
  });
});
