import complete from '../../rules/examples/materials-complete.json';
import missingAgreement from '../../rules/examples/materials-missing-agreement.json';
import areaReduced from '../../rules/examples/major-change-area-reduced.json';
import {
  bundledCalendar,
  decideAnnualSubsidy,
  decideConsecutiveUnqualified,
  decideExpenditure,
  decideGrade,
  decideMajorChange,
  decideMaterials,
  decideObjectionAdmissible,
  decideOperatingDeadline,
  decideOperationStartDeclaration,
  decidePublicityEnd,
  decideQuarterlyReportDue,
  decideReportOverdue,
  decideYear1Subsidy,
  defaultPolicy,
} from '@nqpf/rules';
import { DECISION_FIELDS, decisionsToReplay } from './decision-fields';

/** The problem the replay names for an event's decisions, or [] when it takes them all to re-run. */
const problemsOf = (type: string, payload: object) =>
  decisionsToReplay(type, payload).flatMap((d) => ('problem' in d ? [`${d.field}: ${d.problem}`] : []));

const publicity = decidePublicityEnd({ publishedOn: '2026-01-30' }, defaultPolicy, bundledCalendar());
const admissibility = decideObjectionAdmissible(
  {
    receivedAt: '2026-02-02T03:00:00.000Z',
    publishedOn: '2026-01-30',
    publicityEndsAtExclusive: publicity.outcome.endsAtExclusive,
    inWriting: true,
    realName: '张三',
    contact: '13800000000',
  },
  defaultPolicy,
);
// A letter received after the period: refused, and recorded with the decision that refused it.
const lateLetter = decideObjectionAdmissible(
  {
    receivedAt: '2026-03-02T03:00:00.000Z',
    publishedOn: '2026-01-30',
    publicityEndsAtExclusive: publicity.outcome.endsAtExclusive,
    inWriting: true,
    realName: '张三',
    contact: '13800000000',
  },
  defaultPolicy,
);
const quarterDue = decideQuarterlyReportDue({ year: 2026, quarter: 2 }, defaultPolicy);
const filedReport = decideReportOverdue(
  { report: 'quarterly', dueDate: '2026-07-15', filedOn: '2026-07-10', asOf: '2026-07-10' },
  defaultPolicy,
);
const overdueReport = decideReportOverdue(
  { report: 'quarterly', dueDate: '2026-07-15', filedOn: null, asOf: '2026-07-16' },
  defaultPolicy,
);
const tracked = decideOperatingDeadline({ recognizedOn: '2026-03-10', asOf: '2026-03-10' }, defaultPolicy);
// Finance paid after the revocation day (the deadline + 1), no start recorded, the officer acknowledging it.
const paidAfterDeadline = decideOperatingDeadline(
  { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-12' },
  defaultPolicy,
);
const started = decideOperatingDeadline(
  { recognizedOn: '2026-03-10', operationStartedOn: '2026-06-01', asOf: '2026-06-03' },
  defaultPolicy,
);
const declared = decideOperationStartDeclaration(
  { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-10', declaredOn: '2028-03-11' },
  defaultPolicy,
);
const lateStart = decideOperatingDeadline(
  { recognizedOn: '2026-03-10', operationStartedOn: '2028-03-11' },
  defaultPolicy,
);
const majorChange = decideMajorChange(areaReduced, defaultPolicy);
const grade = decideGrade({ score: '65' }, defaultPolicy);
const revocationCheck = decideConsecutiveUnqualified(
  {
    grades: [
      { year: 2026, grade: '不合格' },
      { year: 2027, grade: '合格' },
    ],
  },
  defaultPolicy,
);
const twoUnqualified = decideConsecutiveUnqualified(
  {
    grades: [
      { year: 2026, grade: '不合格' },
      { year: 2027, grade: '不合格' },
    ],
  },
  defaultPolicy,
);
const year1 = decideYear1Subsidy({ approvedCostsFen: '100000000' }, defaultPolicy);
const annual = decideAnnualSubsidy(
  { supportYear: 2, previousYearGrade: '优秀', revoked: false },
  defaultPolicy,
);
/** Support year 1 (calendar year 2026), spent on 2026-03-20, decided on 2026-04-02. */
const window = { spentOn: '2026-03-20', supportYear: 1, calendarYear: 2026, decidedOn: '2026-04-02' };
const rent = decideExpenditure(
  { category: 'rent', amountFen: '100', disbursedFen: '1000', spentFen: '0', ...window },
  defaultPolicy,
);
const sponsorship = decideExpenditure(
  { category: '赞助', amountFen: '100', disbursedFen: '1000', spentFen: '0', ...window },
  defaultPolicy,
);
const supplement = decideMaterials(missingAgreement, defaultPolicy);

/** One event of each decision-carrying type as its producer writes it: the decision and what it restates. */
const GENUINE: Record<string, object> = {
  'intake.application-accepted': {
    acceptedAt: '2026-03-12T02:00:00.000Z',
    materials: complete.materials,
    materialsDecision: decideMaterials(complete, defaultPolicy),
  },
  'intake.application-returned-for-supplement': {
    returnedAt: '2026-03-12T02:00:00.000Z',
    missing: supplement.outcome.missing,
    reasons: supplement.reasons.filter((r) => !r.passed).map((r) => r.message.zh),
    materialsDecision: supplement,
  },
  'review.publicity-started': {
    publishedOn: '2026-01-30',
    lastDay: publicity.outcome.lastDay,
    endsAt: publicity.outcome.endsAtExclusive,
    calendarVersion: publicity.calendarVersion,
    decision: publicity,
  },
  'review.objection-raised': {
    objector: { name: '张三', contact: '13800000000' },
    raisedAt: '2026-02-02T03:00:00.000Z',
    admissibility,
  },
  'review.objection-refused': {
    objectionId: 'o-2',
    objector: { name: '张三', contact: '13800000000' },
    content: '场地面积不实',
    receivedAt: '2026-03-02T03:00:00.000Z',
    letter: { reference: '来信2026-031', enteredAt: '2026-03-03T01:00:00.000Z' },
    admissibility: lateLetter,
  },
  'reporting.report-due-scheduled': {
    kind: 'quarterly',
    period: '2026-Q2',
    periodEnd: '2026-06-30',
    dueOn: quarterDue.outcome.dueDate,
    follows: '2026-Q1',
    decision: quarterDue,
  },
  'reporting.report-filed': {
    kind: 'quarterly',
    period: '2026-Q2',
    filedOn: '2026-07-10',
    dueOn: '2026-07-15',
    late: false,
    decision: filedReport,
  },
  'reporting.report-overdue': {
    kind: 'quarterly',
    period: '2026-Q2',
    dueOn: '2026-07-15',
    asOf: '2026-07-16',
    decision: overdueReport,
  },
  'reporting.operation-start-declared': {
    startedOn: '2028-03-10',
    declaredOn: '2028-03-11',
    decision: declared,
  },
  'reporting.operation-started': {
    startedOn: '2026-06-01',
    declaredOn: '2026-06-01',
    confirmedOn: '2026-06-03',
    decision: started,
  },
  'reporting.major-change-evaluated': {
    stillEligible: majorChange.outcome.stillEligible,
    failed: majorChange.outcome.failed,
    evaluatedOn: '2026-09-01',
    decision: majorChange,
  },
  'assessment.center-tracked': {
    recognizedOn: '2026-03-10',
    operatingDeadline: tracked.outcome.deadline,
    policyVersion: defaultPolicy.version,
    decision: tracked,
  },
  'assessment.operation-start-recorded': { startedOn: '2026-06-01', decision: started },
  'assessment.assessment-completed': {
    year: 2027,
    grade: grade.outcome.grade,
    method: 'score',
    indicators: [
      { name: '运营管理', score: '40.00' },
      { name: '服务成效', score: '25.00' },
    ],
    score: grade.inputs.score,
    reason: null,
    assessedOn: '2028-02-01',
    decision: grade,
    revocationCheck,
  },
  // 2027 keyed 不合格 (scores typed wrongly), corrected to 合格 from the scores.
  'assessment.assessment-revised': {
    year: 2027,
    supportYear: 2,
    previousGrade: '不合格',
    grade: grade.outcome.grade,
    method: 'score',
    indicators: [
      { name: '运营管理', score: '40.00' },
      { name: '服务成效', score: '25.00' },
    ],
    score: grade.inputs.score,
    gradeReason: null,
    reason: '指标得分录入错误：25误录为2.5',
    assessedOn: '2028-02-01',
    revisedOn: '2028-03-01',
    decision: grade,
    revocationCheck,
  },
  'assessment.center-revoked': {
    revokedOn: '2028-02-01',
    ruleId: 'A17.3b',
    reason: 'consecutive-unqualified',
    explanation: twoUnqualified.reasons[0]!.message,
    decision: twoUnqualified,
  },
  'finance.grant-decided': {
    supportYear: 2,
    amountFen: annual.outcome.amountFen,
    decidedOn: '2027-02-01',
    policyVersion: defaultPolicy.version,
    basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '优秀' },
    decision: annual,
  },
  'finance.disbursement-recorded': {
    centerId: 'c-1',
    entryId: 'd-3',
    supportYear: 3,
    amountFen: '100',
    disbursedOn: '2028-03-12',
    reference: 'v-1',
    correctsEntryId: null,
    reason: null,
    operatingDeadlineCheck: paidAfterDeadline,
    deadlinePassedAcknowledged: true,
  },
  'finance.expenditure-accepted': {
    category: 'rent',
    amountFen: '100',
    supportYear: 1,
    spentOn: '2026-03-20',
    decision: rent,
  },
  'finance.expenditure-rejected': {
    category: '赞助',
    amountFen: '100',
    supportYear: 1,
    spentOn: '2026-03-20',
    decision: sponsorship,
  },
};

/** [event type, what the event says instead, the binding named, recorded, decided]. */
const CONTRADICTIONS: [string, object, string, string, string][] = [
  [
    'intake.application-accepted',
    { materials: missingAgreement.materials },
    '`materials` = inputs `materials`',
    canonical(missingAgreement.materials),
    canonical(complete.materials),
  ],
  [
    'intake.application-returned-for-supplement',
    { missing: [] },
    '`missing` = outcome `missing`',
    '[]',
    '["co_construction_agreement"]',
  ],
  [
    'intake.application-returned-for-supplement',
    { reasons: ['协议未盖章'] },
    '`reasons` = the Chinese sentence of each failed reason',
    '["协议未盖章"]',
    canonical(supplement.reasons.filter((r) => !r.passed).map((r) => r.message.zh)),
  ],
  [
    'intake.application-returned-for-supplement',
    { materialsDecision: decideMaterials(complete, defaultPolicy), missing: [], reasons: ['x'] },
    'outcome `complete` is false',
    'false',
    'true',
  ],
  [
    'review.publicity-started',
    { publishedOn: '2026-01-23' },
    '`publishedOn` = inputs `publishedOn`',
    '"2026-01-23"',
    '"2026-01-30"',
  ],
  [
    'review.objection-raised',
    { raisedAt: '2026-02-10T03:00:00.000Z' },
    '`raisedAt` = inputs `receivedAt`',
    '"2026-02-10T03:00:00.000Z"',
    '"2026-02-02T03:00:00.000Z"',
  ],
  [
    'review.objection-raised',
    { objector: { name: '李四', contact: '13800000000' } },
    '`objector.name` = inputs `realName`',
    '"李四"',
    '"张三"',
  ],
  [
    'review.objection-raised',
    { objector: { name: '张三', contact: 'x@example.cn' } },
    '`objector.contact` = inputs `contact`',
    '"x@example.cn"',
    '"13800000000"',
  ],
  [
    'review.objection-refused',
    { receivedAt: '2026-02-02T03:00:00.000Z' },
    '`receivedAt` = inputs `receivedAt`',
    '"2026-02-02T03:00:00.000Z"',
    '"2026-03-02T03:00:00.000Z"',
  ],
  ['review.objection-refused', { admissibility }, 'outcome `admissible` is false', 'false', 'true'],
  ['reporting.report-due-scheduled', { kind: 'annual' }, '`kind` names the rule', '"annual"', '"quarterly"'],
  [
    'reporting.report-due-scheduled',
    { period: '2026-Q3' },
    '`period` = inputs `year`-Q`quarter`, or `reportYear`',
    '"2026-Q3"',
    '"2026-Q2"',
  ],
  [
    'reporting.report-due-scheduled',
    { periodEnd: '2026-09-30' },
    '`periodEnd` = outcome `quarterEnd`, or `reportYear`-12-31',
    '"2026-09-30"',
    '"2026-06-30"',
  ],
  [
    'reporting.report-filed',
    { filedOn: '2026-09-30' },
    '`filedOn` = inputs `filedOn`',
    '"2026-09-30"',
    '"2026-07-10"',
  ],
  [
    'reporting.report-filed',
    { dueOn: '2026-10-15' },
    '`dueOn` = inputs `dueDate`',
    '"2026-10-15"',
    '"2026-07-15"',
  ],
  ['reporting.report-filed', { kind: 'annual' }, '`kind` = inputs `report`', '"annual"', '"quarterly"'],
  ['reporting.report-filed', { decision: overdueReport }, 'outcome `filed` is true', 'true', 'false'],
  [
    'reporting.report-overdue',
    { asOf: '2026-08-01' },
    '`asOf` = inputs `asOf`',
    '"2026-08-01"',
    '"2026-07-16"',
  ],
  [
    'reporting.report-overdue',
    { dueOn: '2026-07-01' },
    '`dueOn` = inputs `dueDate`',
    '"2026-07-01"',
    '"2026-07-15"',
  ],
  [
    'reporting.operation-start-declared',
    { declaredOn: '2028-03-12' },
    '`declaredOn` = inputs `declaredOn`',
    '"2028-03-12"',
    '"2028-03-11"',
  ],
  [
    'reporting.operation-start-declared',
    { startedOn: '2028-03-09' },
    '`startedOn` = inputs `operationStartedOn`',
    '"2028-03-09"',
    '"2028-03-10"',
  ],
  [
    'reporting.operation-started',
    { startedOn: '2026-05-01' },
    '`startedOn` = inputs `operationStartedOn`',
    '"2026-05-01"',
    '"2026-06-01"',
  ],
  [
    'reporting.operation-started',
    { confirmedOn: '2026-06-04' },
    '`confirmedOn` = inputs `asOf`',
    '"2026-06-04"',
    '"2026-06-03"',
  ],
  [
    'assessment.operation-start-recorded',
    { startedOn: '2026-05-01' },
    '`startedOn` = inputs `operationStartedOn`',
    '"2026-05-01"',
    '"2026-06-01"',
  ],
  [
    'assessment.center-tracked',
    { recognizedOn: '2027-03-10' },
    '`recognizedOn` = inputs `recognizedOn`',
    '"2027-03-10"',
    '"2026-03-10"',
  ],
  [
    'assessment.assessment-completed',
    { score: '95.00' },
    '`score` = inputs `score`',
    '"95.00"',
    `"${grade.inputs.score}"`,
  ],
  [
    'assessment.assessment-completed',
    { indicators: [{ name: '运营管理', score: '40' }] },
    'inputs `score` = the sum of the `indicators` scores (method `score`, in hundredths)',
    '"40.00"',
    `"${grade.inputs.score}"`,
  ],
  [
    // A grade set by hand: no grade decision, but the revocation check must still be about this grade.
    'assessment.assessment-completed',
    { grade: '不合格', method: 'direct', score: null, reason: '现场核查', decision: null },
    'inputs `grades` holds `year` graded `grade`',
    '{"grade":"不合格","year":2027}',
    '{"grade":"合格","year":2027}',
  ],
  [
    'assessment.assessment-revised',
    { score: '95.00' },
    '`score` = inputs `score`',
    '"95.00"',
    `"${grade.inputs.score}"`,
  ],
  [
    // Set by hand: no grade decision, but the revocation check must be on the corrected grade.
    'assessment.assessment-revised',
    { grade: '不合格', method: 'direct', score: null, gradeReason: '现场核查', decision: null },
    'inputs `grades` holds the corrected `year` graded `grade`',
    '{"grade":"不合格","year":2027}',
    '{"grade":"合格","year":2027}',
  ],
  ['assessment.center-revoked', { ruleId: 'A16' }, '`ruleId` names the rule', '"A16"', '"A17.3b"'],
  [
    'assessment.center-revoked',
    { reason: 'no-longer-eligible-after-major-change' },
    '`reason` names the rule',
    '"no-longer-eligible-after-major-change"',
    '"consecutive-unqualified"',
  ],
  [
    'assessment.center-revoked',
    { explanation: { zh: '撤销', en: 'revoked' } },
    "`explanation` = the message of the decision's first reason",
    '{"en":"revoked","zh":"撤销"}',
    canonical(twoUnqualified.reasons[0]!.message),
  ],
  [
    'finance.grant-decided',
    { supportYear: 3 },
    '`supportYear` = inputs `supportYear` (subsidy-annual)',
    '3',
    '2',
  ],
  [
    'finance.grant-decided',
    { basis: { kind: 'assessment', assessedYear: 2026, assessedSupportYear: 1, grade: '合格' } },
    '`basis.grade` = inputs `previousYearGrade` (subsidy-annual)',
    '"合格"',
    '"优秀"',
  ],
  [
    'finance.grant-decided',
    { basis: { kind: 'assessment', assessedYear: 2027, assessedSupportYear: 2, grade: '优秀' } },
    '`basis.assessedSupportYear` = inputs `supportYear` − 1 (subsidy-annual)',
    '2',
    '1',
  ],
  [
    'finance.grant-decided',
    { basis: { kind: 'year1-costs', declarationId: 'd-1', approvedFen: '1' } },
    '`basis.kind` names the rule',
    '"year1-costs"',
    '"assessment"',
  ],
  [
    'finance.disbursement-recorded',
    { disbursedOn: '2028-03-13' },
    '`disbursedOn` = inputs `asOf`',
    '"2028-03-13"',
    '"2028-03-12"',
  ],
  [
    'finance.disbursement-recorded',
    { deadlinePassedAcknowledged: false },
    '`deadlinePassedAcknowledged` is true exactly when',
    'false',
    'true',
  ],
  [
    'finance.expenditure-accepted',
    { category: 'sponsorship' },
    '`category` = inputs `category`',
    '"sponsorship"',
    '"rent"',
  ],
  [
    'finance.expenditure-accepted',
    { amountFen: '99999999' },
    '`amountFen` = inputs `amountFen`',
    '"99999999"',
    '"100"',
  ],
  [
    'finance.expenditure-rejected',
    { category: '罚款' },
    '`category` (its A13 code) = inputs `category`',
    '"fine"',
    '"sponsorship"',
  ],
  [
    'finance.expenditure-accepted',
    { spentOn: '2027-03-20' },
    '`spentOn` = inputs `spentOn` (from rules-2026.8)',
    '"2027-03-20"',
    '"2026-03-20"',
  ],
  [
    'finance.expenditure-rejected',
    { supportYear: 2 },
    '`supportYear` = inputs `supportYear` (from rules-2026.8)',
    '2',
    '1',
  ],
];

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

describe('what an event restates of its decision (DECISION_FIELDS binds)', () => {
  it('has a genuine event of every type that carries a decision', () => {
    expect(Object.keys(GENUINE).sort()).toEqual(
      [...new Set(DECISION_FIELDS.map((f) => f.eventType))]
        .filter((t) => t !== 'review.eligibility-decided')
        .sort(),
    );
  });

  it.each(Object.entries(GENUINE))('takes a genuine %s as agreeing with its decisions', (type, payload) => {
    expect(problemsOf(type, payload)).toEqual([]);
  });

  it.each(CONTRADICTIONS)(
    'counts a %s saying %j against its decision as a mismatch, naming the field and both values',
    (type, change, says, recorded, decided) => {
      const problems = problemsOf(type, { ...GENUINE[type], ...change });
      expect(problems).toEqual([
        expect.stringMatching(/: the event does not do what its decision decided: /),
      ]);
      const named = problems[0]!.split('; ').find((part) => part.includes(says));
      expect(named).toContain(`(recorded ${recorded}, decided ${decided})`);
    },
  );

  it("binds a payment's acknowledgement to the day paid: none asked on the revocation day, none without the check", () => {
    const genuine = GENUINE['finance.disbursement-recorded'] as Record<string, unknown>;
    const onRevocationDay = {
      ...genuine,
      disbursedOn: '2028-03-11',
      operatingDeadlineCheck: decideOperatingDeadline(
        { recognizedOn: '2026-03-10', operationStartedOn: null, asOf: '2028-03-11' },
        defaultPolicy,
      ),
    };
    expect(
      problemsOf('finance.disbursement-recorded', { ...onRevocationDay, deadlinePassedAcknowledged: false }),
    ).toEqual([]);
    expect(problemsOf('finance.disbursement-recorded', onRevocationDay)).toEqual([
      expect.stringContaining('(recorded true, decided false)'),
    ]);
    const { operatingDeadlineCheck: _check, ...unchecked } = genuine;
    expect(problemsOf('finance.disbursement-recorded', unchecked)).toEqual([
      expect.stringContaining('operatingDeadlineCheck: missing decision'),
    ]);
    const { deadlinePassedAcknowledged: _kept, ...unacknowledged } = genuine;
    expect(problemsOf('finance.disbursement-recorded', unacknowledged)).toEqual([
      expect.stringContaining('(recorded (none), decided true)'),
    ]);
    const { deadlinePassedAcknowledged: _ack, ...neither } = unchecked;
    expect(problemsOf('finance.disbursement-recorded', neither)).toEqual([]);
  });

  it("binds a year-1 grant's support year, basis and approved costs to its decision", () => {
    const grant = {
      supportYear: 1,
      amountFen: year1.outcome.amountFen,
      policyVersion: defaultPolicy.version,
      basis: { kind: 'year1-costs', declarationId: 'd-1', approvedFen: '100000000' },
      decision: year1,
    };
    expect(problemsOf('finance.grant-decided', grant)).toEqual([]);
    const [problem] = problemsOf('finance.grant-decided', {
      ...grant,
      supportYear: 2,
      basis: { ...grant.basis, approvedFen: '900000000' },
    });
    expect(problem).toContain('`supportYear` is 1 (subsidy-year1) (recorded 2, decided 1)');
    expect(problem).toContain(
      '`basis.approvedFen` = inputs `approvedCostsFen` (subsidy-year1) (recorded "900000000", decided "100000000")',
    );
  });

  it("binds an expenditure's window to the calendar year its account opened with, not before rules-2026.8", () => {
    const spent = GENUINE['finance.expenditure-accepted'] as Record<string, unknown>;
    const account = {
      approvedFen: {},
      disbursedFen: { '1': 1000n },
      spentFen: {},
      payments: {},
      revokedOn: null,
      calendarYears: { '1': 2026, '2': 2027 },
    };
    const context = (occurredAt: string, calendarYears = account.calendarYears) => ({
      occurredAt,
      stream: { grades: {}, dueOn: {}, account: { ...account, calendarYears } },
    });
    const problems = (payload: object, c: ReturnType<typeof context>) =>
      decisionsToReplay('finance.expenditure-accepted', payload, c).flatMap((d) =>
        'problem' in d ? [d.problem] : [],
      );
    expect(problems(spent, context('2026-04-02T02:00:00.000Z'))).toEqual([]);
    expect(problems(spent, context('2026-04-02T02:00:00.000Z', { '1': 2027, '2': 2028 }))[0]).toContain(
      "inputs `calendarYear` = the `calendarYear` of `supportYear` in the `supportYears` of the stream's `finance.subsidy-account-opened` (from rules-2026.8) (recorded 2027, decided 2026)",
    );
    // Recorded under rules-2026.7: no window among its inputs, nothing to hold it to.
    const older = decideExpenditure(
      { category: 'rent', amountFen: '100', disbursedFen: '1000', spentFen: '0' },
      defaultPolicy,
      'rules-2026.7',
    );
    expect(
      problems({ ...spent, decision: older }, context('2026-04-02T02:00:00.000Z', { '1': 2027, '2': 2028 })),
    ).toEqual([]);
  });

  it('binds a revocation for a late start (A17.3a) to its rule, and a decision that does not revoke', () => {
    const lateRevoked = {
      revokedOn: '2028-03-11',
      ruleId: 'A17.3a',
      reason: 'not-operating-within-deadline',
      explanation: lateStart.reasons[0]!.message,
      decision: lateStart,
    };
    expect(problemsOf('assessment.center-revoked', lateRevoked)).toEqual([]);
    expect(problemsOf('assessment.center-revoked', { ...lateRevoked, ruleId: 'A17.3b' })).toEqual([
      expect.stringContaining('`ruleId` names the rule'),
    ]);
    expect(
      problemsOf('assessment.center-revoked', {
        ...lateRevoked,
        decision: started,
        explanation: started.reasons[0]!.message,
      }),
    ).toEqual([expect.stringContaining('outcome `revoke` is true (recorded true, decided false)')]);
  });

  it('names the policy day each decision field is held to where its event records one', () => {
    const days = Object.fromEntries(
      DECISION_FIELDS.filter((f) => f.policyOn).map((f) => [
        `${f.eventType} ${f.field}`,
        f.policyOn!.day({ ...GENUINE[f.eventType], follows: '2026-Q1' } as Record<string, unknown>, {
          occurredAt: '2026-04-01T17:00:00.000Z',
          stream: { acceptedAt: '2026-03-01T16:30:00.000Z', dueOn: { '2026-Q1': '2026-04-15' }, grades: {} },
        }),
      ]),
    );
    expect(days).toEqual({
      'intake.application-accepted materialsDecision': '2026-03-12',
      'intake.application-returned-for-supplement materialsDecision': '2026-03-12',
      // 16:30 UTC is 00:30 the next day in Asia/Shanghai.
      'review.eligibility-decided decision': '2026-03-02',
      'review.publicity-started decision': '2026-01-30',
      'reporting.report-due-scheduled decision': '2026-04-16',
      'reporting.report-filed decision': '2026-07-10',
      'reporting.major-change-evaluated decision': '2026-09-01',
      'assessment.center-tracked decision': '2026-03-10',
      'assessment.assessment-completed decision': '2028-02-01',
      'assessment.assessment-completed revocationCheck': '2028-02-01',
      // A correction: the corrected scores by the bands of the day assessed; A17.3b on the day revised.
      'assessment.assessment-revised decision': '2028-02-01',
      'assessment.assessment-revised revocationCheck': '2028-03-01',
      'finance.grant-decided decision': '2027-02-01',
      'finance.expenditure-accepted decision': '2026-04-02',
      'finance.expenditure-rejected decision': '2026-04-02',
    });
  });
});
