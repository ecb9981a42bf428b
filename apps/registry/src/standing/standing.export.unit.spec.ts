import { AssessmentEventTypes, ReviewEventTypes } from '@nqpf/contracts';
import { gradeEvent, obligationsOpened, reportDue, reportOverdue, reviewStory } from './center-story.fixture';
import { envelope } from './event-fixture';
import { standingCsv } from './standing.export';
import { reduceStanding } from './standing.reducer';
import { emptyStanding } from './standing.row';
import { toStandingView } from './standing.view';

/** The columns of standing.csv before eligibility and revocation reasons were added: they keep their places. */
const FIRST_COLUMNS = [
  'centerId',
  'district',
  'phase',
  'status',
  'operatorName',
  'submittedOn',
  'recognizedOn',
  'operationStartedOn',
  'revokedOn',
  'latestGrade',
  'grades',
  'consecutiveUnqualified',
  'reportsDue',
  'reportsOverdue',
  'operatingDeadline',
  'daysLeftToOperatingDeadline',
  'revocationRule',
];

/** RFC 4180 as toCsv writes it: quoted cells may hold commas and doubled quotes. */
function parseCsv(text: string): Record<string, string>[] {
  const records = text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!))
    .map((cells) => cells.map((c) => (c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c)));
  const [header, ...rows] = records;
  return rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!])));
}

const reason = (ruleId: string, passed: boolean) => ({
  ruleId,
  criterion: ruleId,
  measured: 1,
  threshold: 1,
  passed,
  message: { zh: ruleId, en: ruleId },
});

describe('standing.csv: eligibility and revocation reasons', () => {
  const ineligibleId = 'center-ineligible';
  const ineligible = reduceStanding(
    emptyStanding(ineligibleId),
    envelope(ReviewEventTypes.EligibilityDecided, ineligibleId, {
      applicationId: ineligibleId,
      eligible: false,
      decidedAt: '2026-03-09T02:00:00Z',
      decision: {
        rule: 'eligibility',
        rulesetVersion: 'r1',
        policyVersion: 'p2026',
        inputs: {},
        outcome: { eligible: false, failed: ['A6.1', 'A6.4'] },
        reasons: [reason('A6.1', false), reason('A6.2', true), reason('A6.4', false)],
      },
    }),
  );
  const revokedId = 'center-revoked';
  const revoked = [
    ...reviewStory(revokedId, '南关区', '2026-03-10'),
    obligationsOpened(revokedId, '2026-03-10', '2028-03-10', '2028-03-25'),
    gradeEvent(revokedId, 2026, '不合格'),
    gradeEvent(revokedId, 2027, '不合格'),
    envelope(AssessmentEventTypes.CenterRevoked, revokedId, {
      centerId: revokedId,
      revokedOn: '2028-02-15',
      ruleId: 'A17.3b',
      reason: 'consecutive-unqualified',
      explanation: { zh: '连续两年不合格', en: 'unqualified two years running' },
      decision: { rule: 'r', rulesetVersion: 'r1', policyVersion: 'p', inputs: {}, outcome: {}, reasons: [] },
    }),
  ].reduce(reduceStanding, emptyStanding(revokedId));
  const csv = standingCsv([ineligible, revoked].map((r) => toStandingView(r, '2028-03-01')));
  const [rowIneligible, rowRevoked] = parseCsv(csv);

  it('keeps the existing columns first and in their order, the new ones appended', () => {
    const header = csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')[0]!
      .split(',');
    expect(header).toEqual([
      ...FIRST_COLUMNS,
      'eligible',
      'eligibilityFailedRules',
      'eligibilityPolicyVersion',
      'revocationReason',
      'revocationExplanation',
      'awaiting',
      'startDeclarationsCloseOn',
      'callId',
      'reportsPastDue',
      'gradeHistory',
      'operatorCreditCode',
    ]);
  });

  it('gives the eligibility outcome, the unmet criteria and the policy version it was decided under', () => {
    expect(rowIneligible).toMatchObject({
      centerId: ineligibleId,
      phase: 'ineligible',
      eligible: 'false',
      eligibilityFailedRules: 'A6.1; A6.4',
      eligibilityPolicyVersion: 'p2026',
      revocationRule: '',
      revocationReason: '',
      startDeclarationsCloseOn: '',
    });
    expect(rowRevoked).toMatchObject({
      eligible: 'true',
      eligibilityFailedRules: '',
      eligibilityPolicyVersion: 'p2026',
    });
  });

  it('gives the revocation rule, its reason and the explanation', () => {
    expect(rowRevoked).toMatchObject({
      centerId: revokedId,
      phase: 'revoked',
      grades: '{"2026":"不合格","2027":"不合格"}',
      revocationRule: 'A17.3b',
      revocationReason: 'consecutive-unqualified',
      revocationExplanation: '连续两年不合格',
      startDeclarationsCloseOn: '2028-03-25',
    });
  });

  it('gives the grades readably in gradeHistory, oldest year first, beside the JSON in grades', () => {
    expect(rowRevoked).toMatchObject({
      grades: '{"2026":"不合格","2027":"不合格"}',
      gradeHistory: '2026 不合格; 2027 不合格',
    });
    expect(rowIneligible).toMatchObject({ grades: '{}', gradeHistory: '' });
    // Assessed out of order (a year assessed late): still by year.
    const lateId = 'center-late';
    const late = [
      ...reviewStory(lateId, '南关区', '2026-03-10'),
      gradeEvent(lateId, 2028, '合格'),
      gradeEvent(lateId, 2026, '优秀'),
      gradeEvent(lateId, 2027, '不合格'),
    ].reduce(reduceStanding, emptyStanding(lateId));
    const [row] = parseCsv(standingCsv([toStandingView(late, '2029-03-01')]));
    expect(row!.gradeHistory).toBe('2026 优秀; 2027 不合格; 2028 合格');
  });

  it("gives the operating entity's credit code last, as text a spreadsheet keeps, empty while unknown", () => {
    expect(rowRevoked!.operatorCreditCode).toBe('c');
    expect(rowIneligible!.operatorCreditCode).toBe('');
    const view = toStandingView(revoked, '2028-03-01');
    const coded = { ...view, operator: { ...view.operator, creditCode: '911100000000000017' } };
    // All digits, a float to a spreadsheet (its last digits lost): the text column's leading tab keeps it.
    expect(standingCsv([coded]).split('\r\n')[1]!.endsWith(',"\t911100000000000017"')).toBe(true);
  });

  it("names the operator's work in awaiting: a start to declare and a report to file, none once revoked", () => {
    const recognisedId = 'center-recognised';
    const recognised = [
      ...reviewStory(recognisedId, '南关区', '2026-03-10'),
      obligationsOpened(recognisedId, '2026-03-10', '2028-03-10', '2028-03-25'),
      reportDue(recognisedId, '2026-Q2', '2026-07-15'),
      reportOverdue(recognisedId, '2026-Q2', '2026-07-15'),
    ].reduce(reduceStanding, emptyStanding(recognisedId));
    const [row] = parseCsv(standingCsv([toStandingView(recognised, '2026-07-20')]));
    expect(row).toMatchObject({
      awaiting: 'operator:operation-start; operator:reports',
      reportsOverdue: '1',
    });
    expect(rowRevoked).toMatchObject({ phase: 'revoked', awaiting: '' });
  });
});
