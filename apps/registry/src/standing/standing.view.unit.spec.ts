import { AssessmentEventTypes, ReportingEventTypes } from '@nqpf/contracts';
import {
  accountOpened,
  obligationsEnded,
  obligationsOpened,
  reportDue,
  reportOverdue,
  reviewStory,
  startDeclared,
  tracked,
} from './center-story.fixture';
import { envelope } from './event-fixture';
import { reduceStanding } from './standing.reducer';
import { emptyStanding } from './standing.row';
import { standingAsShownTo, toStandingView } from './standing.view';

const C = 'center-1';
const recognised = (date: string) => reviewStory(C, '朝阳区', date).reduce(reduceStanding, emptyStanding(C));

describe('standing view', () => {
  it('counts as past due the due reports whose day has passed that reporting has not recorded overdue yet (A14)', () => {
    const row = [
      reportDue(C, '2026-Q2', '2026-07-15'),
      reportDue(C, '2026-Q3', '2026-10-15'),
      reportOverdue(C, '2026-Q2', '2026-07-15'),
    ].reduce(reduceStanding, recognised('2026-03-10'));
    expect(toStandingView(row, '2026-10-15').reports).toMatchObject({ due: 1, overdue: 1, pastDue: 0 });
    // The day after the due day, before the timer's record: overdue in fact, still counted as due.
    expect(toStandingView(row, '2026-10-16').reports).toMatchObject({ due: 1, overdue: 1, pastDue: 1 });
  });

  it('counts days to the two-year operating deadline inclusively (case 11: 2026-03-10 → 2028-03-10)', () => {
    const row = reduceStanding(recognised('2026-03-10'), tracked(C, '2026-03-10', '2028-03-10'));
    expect(toStandingView(row, '2026-03-10').operatingDeadline).toBe('2028-03-10');
    expect(toStandingView(row, '2028-03-09').daysLeftToOperatingDeadline).toBe(1);
    expect(toStandingView(row, '2028-03-10').daysLeftToOperatingDeadline).toBe(0);
    expect(toStandingView(row, '2028-03-11').daysLeftToOperatingDeadline).toBe(-1);
  });

  it('counts past the deadline below 0 while a start made by it may still be declared (case 11: until 2028-03-25)', () => {
    const row = [
      tracked(C, '2026-03-10', '2028-03-10'),
      obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
    ].reduce(reduceStanding, recognised('2026-03-10'));
    expect(toStandingView(row, '2028-03-10')).toMatchObject({
      operatingDeadline: '2028-03-10',
      daysLeftToOperatingDeadline: 0,
      startDeclarationsCloseOn: '2028-03-25',
    });
    expect(toStandingView(row, '2028-03-25')).toMatchObject({
      daysLeftToOperatingDeadline: -15,
      startDeclarationsCloseOn: '2028-03-25',
    });
    // Once operating the count stops; the window stays as recorded.
    const operating = { ...row, operationStartedOn: '2028-03-10' };
    expect(toStandingView(operating, '2028-03-20')).toMatchObject({
      daysLeftToOperatingDeadline: null,
      startDeclarationsCloseOn: '2028-03-25',
    });
  });

  it('shows the deadline assessment decided under the policy in force, not recognition + 2 years', () => {
    const row = reduceStanding(recognised('2026-03-10'), tracked(C, '2026-03-10', '2029-03-10'));
    expect(toStandingView(row, '2028-03-10')).toMatchObject({
      operatingDeadline: '2029-03-10',
      daysLeftToOperatingDeadline: 365,
    });
  });

  it('says the deadline is unknown until an event carries it, then takes it from the decision', () => {
    const row = recognised('2026-03-10');
    expect(toStandingView(row, '2026-04-01')).toMatchObject({
      operatingDeadline: null,
      daysLeftToOperatingDeadline: null,
      startDeclarationsCloseOn: null,
    });
    const started = reduceStanding(
      row,
      envelope(AssessmentEventTypes.OperationStartRecorded, C, {
        centerId: C,
        startedOn: '2026-09-01',
        decision: {
          rule: 'operating-deadline',
          rulesetVersion: 'r1',
          policyVersion: 'p',
          inputs: {},
          outcome: { deadline: '2029-03-10', status: 'started-in-time', revoke: false },
          reasons: [],
        },
      }),
    );
    expect(toStandingView(started, '2026-10-01').operatingDeadline).toBe('2029-03-10');
  });

  it('stops counting once operation started', () => {
    const row = { ...recognised('2026-03-10'), operationStartedOn: '2026-09-01' };
    expect(toStandingView(row, '2026-10-01').daysLeftToOperatingDeadline).toBeNull();
  });

  describe('A17.3a: since when a declared start waits for the district office (declaredStartPendingDays)', () => {
    const window = { deadline: '2028-03-10', declarationsCloseOn: '2028-03-25' };
    // Declared on 2026-09-02 (a start on 2026-09-01): the office has no deadline to judge it.
    const declared = () =>
      [
        obligationsOpened(C, '2026-03-10', '2028-03-10', '2028-03-25'),
        startDeclared(C, '2026-03-10', '2026-09-01', '2026-09-02', window),
      ].reduce(reduceStanding, recognised('2026-03-10'));
    const pendingDays = (row: ReturnType<typeof declared>, today: string) =>
      toStandingView(row, today).declaredStartPendingDays;

    it('counts the days from the declaration day, 0 on it, as long as the office has not judged it', () => {
      const row = declared();
      expect(row.awaiting).toEqual(['district:operation-start']);
      expect(pendingDays(row, '2026-09-02')).toBe(0);
      expect(pendingDays(row, '2026-10-02')).toBe(30);
      // Past the deadline and the declarations' close: a start made by the deadline still waits, and counts.
      expect(pendingDays(row, '2028-04-01')).toBe(577);
    });

    it('is null when no start waits: none declared, rejected, confirmed, or the center revoked', () => {
      expect(pendingDays(recognised('2026-03-10'), '2026-10-02')).toBeNull();
      const rejected = reduceStanding(
        declared(),
        envelope(ReportingEventTypes.OperationStartRejected, C, {
          centerId: C,
          startedOn: '2026-09-01',
          rejectedOn: '2026-09-10',
          reason: '未见运营',
        }),
      );
      expect(rejected.awaiting).toEqual(['operator:operation-start']);
      expect(pendingDays(rejected, '2026-10-02')).toBeNull();
      const started = reduceStanding(
        declared(),
        envelope(ReportingEventTypes.OperationStarted, C, {
          centerId: C,
          startedOn: '2026-09-01',
          declaredOn: '2026-09-02',
          confirmedOn: '2026-09-10',
        }),
      );
      expect(started.phase).toBe('operating');
      expect(pendingDays(started, '2026-10-02')).toBeNull();
      const revoked = [
        obligationsEnded(C, '2026-09-20'),
        envelope(AssessmentEventTypes.CenterRevoked, C, {
          centerId: C,
          revokedOn: '2026-09-20',
          ruleId: 'A16',
          reason: 'major-change',
        }),
      ].reduce(reduceStanding, declared());
      expect(revoked).toMatchObject({ phase: 'revoked', awaiting: [] });
      expect(pendingDays(revoked, '2026-10-02')).toBeNull();
    });

    it('is null on a row stored before declared starts were kept (until a rebuild)', () => {
      const { declaredStart: _absent, ...stored } = declared();
      expect(pendingDays(stored, '2026-10-02')).toBeNull();
    });
  });

  it("shows the operating entity's credit code to every role that reads the standing, its filing account not to finance", () => {
    const view = toStandingView(recognised('2026-03-10'), '2026-06-01');
    expect(view.operator).toEqual({ accountId: `op-${C}`, name: '长春创新运营有限公司', creditCode: 'c' });
    for (const role of ['city_bureau', 'district_office', 'operator', 'finance_officer', 'auditor'] as const)
      expect([role, standingAsShownTo({ role }, view).operator.creditCode]).toEqual([role, 'c']);
    expect(standingAsShownTo({ role: 'finance_officer' }, view).operator).toEqual({
      accountId: '(withheld)',
      name: '长春创新运营有限公司',
      creditCode: 'c',
    });
  });

  it('shows the current support year from the account, then support ended', () => {
    const row = reduceStanding(recognised('2026-03-10'), accountOpened(C, '朝阳区', '2026-03-10'));
    expect(toStandingView(row, '2027-05-01').support).toEqual({ supportYear: 2 });
    expect(toStandingView(row, '2029-01-01').support).toBe('ended');
  });
});
