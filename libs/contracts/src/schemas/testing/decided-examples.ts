/*
 * Test support: real events, produced by running the services' pure deciders with the fixtures of their unit
 * specs, so the contract test checks what the code emits rather than hand-written samples.
 */
import { foldEvents, type Decider, type DomainEvent } from '@nqpf/domain';
import { defaultPolicy, DEFAULT_POLICY } from '@nqpf/rules';
import type { MajorChangeEvaluatedV1 } from '../../events/reporting';
import type { CenterRecognizedV1 } from '../../events/review';
import { services } from './decided-examples.paths';
import type { DecidedEvent } from './example-envelope';

/** Runs commands in order on one stream, each on the state the previous ones left; returns every event. */
function play<C, E extends DomainEvent<string, unknown>, S>(
  decider: Decider<C, E, S>,
  ...commands: C[]
): E[] {
  return commands.reduce<E[]>(
    (events, command) => [...events, ...decider.decide(command, foldEvents(decider, events))],
    [],
  );
}

export interface ServiceExamples {
  centerId: string | null;
  events: DecidedEvent[];
}

export function intakeExamples(): ServiceExamples[] {
  const { callDecider, applicationDecider, OPEN_CALL, allMaterials, passingFacts, materialsDecision } =
    services.intake;
  const calls = play(
    callDecider,
    {
      kind: 'open',
      callId: 'c1',
      year: 2026,
      opensOn: '2026-03-01',
      closesOn: '2026-04-30',
      today: '2026-02-20',
    },
    { kind: 'close', callId: 'c1', closedOn: '2026-04-01', reason: '预算调整，提前截止' },
  );
  const IN_WINDOW = '2026-03-10T09:00:00+08:00';
  const draft = {
    kind: 'draft' as const,
    applicationId: 'app-1',
    callId: 'call-2026',
    call: OPEN_CALL,
    operatorAccountId: 'op-1',
    district: '南关区',
    facts: passingFacts(),
    materials: allMaterials(),
    at: IN_WINDOW,
  };
  const submit = { kind: 'submit' as const, operatorAccountId: 'op-1', call: OPEN_CALL, at: IN_WINDOW };
  const application = play(
    applicationDecider,
    draft,
    { kind: 'amend', district: '朝阳区' },
    submit,
    { kind: 'return-by-district', district: '朝阳区', at: IN_WINDOW, reasons: ['盖章不清'] },
    submit,
    { kind: 'endorse', district: '朝阳区', at: '2026-03-11T10:00:00+08:00', opinion: '同意推荐' },
    {
      kind: 'check-materials',
      at: '2026-03-12T10:00:00+08:00',
      materialsDecision: materialsDecision(allMaterials().slice(1)),
    },
    submit,
    { kind: 'endorse', district: '朝阳区', at: '2026-03-13T10:00:00+08:00' },
    {
      kind: 'check-materials',
      at: '2026-03-14T10:00:00+08:00',
      materialsDecision: materialsDecision(allMaterials()),
    },
  );
  return [
    { centerId: null, events: calls },
    { centerId: 'app-1', events: application },
  ];
}

export function reviewExamples(): ServiceExamples[] {
  const { candidacyDecider, expertDecider, fixtures: f } = services.review;
  const AT = '2026-03-13T10:00:00+08:00';
  const open = (facts = f.passingFacts()) => ({
    kind: 'open' as const,
    accepted: f.accepted(facts),
    eligibilityDecision: f.eligibilityOf(facts),
    at: AT,
  });
  const assign = (id: string) => ({ kind: 'assign-expert' as const, expert: f.expert(id), at: AT });
  const objection = (at: string, objectionId: string) => {
    const objector = { name: '张三', contact: '13800000000' };
    return {
      kind: 'raise-objection' as const,
      objectionId,
      objector,
      content: '活动数量不实',
      admissibility: f.admissibilityOf(at, f.publicityFrom('2026-01-30'), objector),
      at,
    };
  };
  // A9.4: a letter received after the period without a contact, entered by the bureau: recorded refused.
  const refusedLetter = () => {
    const objector = { name: '王五', contact: '' };
    const at = '2026-02-07T09:00:00+08:00';
    return {
      kind: 'raise-objection' as const,
      objectionId: 'o2',
      objector,
      content: '活动场地与申报不符',
      admissibility: f.admissibilityOf(at, f.publicityFrom('2026-01-30'), objector),
      at,
      letter: { reference: '长科收〔2026〕120号', enteredAt: '2026-02-08T09:00:00+08:00' },
    };
  };
  const rule = (objectionId: string, upheld: boolean) => ({
    kind: 'rule-on-objection' as const,
    objectionId,
    upheld,
    reason: upheld ? '活动数量虚报' : '经核查活动台账属实',
    at: '2026-02-09T10:00:00+08:00',
  });
  const sign = (party: 'bureau' | 'district') => ({
    kind: 'sign-agreement' as const,
    party,
    district: party === 'district' ? '南关区' : undefined,
    reason: '公示期满无异议',
    at: '2026-02-10T10:00:00+08:00',
    policyVersion: 'policy-2026.1',
  });
  const listed = [
    open(),
    assign('e1'),
    assign('e2'),
    { kind: 'unassign-expert' as const, expertId: 'e2', reason: '声明利益冲突', at: AT },
    { kind: 'record-review' as const, expert: f.expert('e1'), score: 88, opinion: '材料翔实', at: AT },
    {
      kind: 'record-site-inspection' as const,
      expert: f.expert('e1'),
      inspectedOn: '2026-03-13',
      satisfactory: true,
      finding: '场地与申报一致',
      at: AT,
    },
    // A9.1: the expert corrects their own review and inspection before the listing.
    {
      kind: 'revise-review' as const,
      expert: f.expert('e1'),
      score: 82,
      opinion: '材料翔实，经纪人结构略弱',
      reason: '漏看经纪人职称材料，更正评分',
      at: AT,
    },
    {
      kind: 'revise-site-inspection' as const,
      expert: f.expert('e1'),
      inspectedOn: '2026-03-13',
      satisfactory: true,
      finding: '场地与申报一致，展示区运行正常',
      reason: '考察记录登记不全',
      at: AT,
    },
    {
      kind: 'decide-listing' as const,
      listId: 'list-2026',
      listed: true,
      reason: '评审通过',
      at: AT,
      conflictedExpertIds: [],
    },
    {
      kind: 'start-publicity' as const,
      publicityDecision: f.publicityFrom('2026-01-30'),
      at: '2026-01-30T09:00:00+08:00',
    },
  ];
  const recognised = play(
    candidacyDecider,
    ...listed,
    objection('2026-02-02T10:00:00+08:00', 'o1'),
    {
      kind: 'investigate-objection',
      objectionId: 'o1',
      note: '调取活动台账',
      at: '2026-02-03T10:00:00+08:00',
    },
    { kind: 'end-publicity', at: '2026-02-07T00:00:00+08:00' },
    refusedLetter(),
    rule('o1', false),
    sign('bureau'),
    sign('district'),
  );
  const upheld = play(
    candidacyDecider,
    ...listed,
    objection('2026-02-02T10:00:00+08:00', 'o1'),
    rule('o1', true),
  );
  const notListed = play(candidacyDecider, open(), {
    kind: 'decide-listing',
    listId: 'list-2026',
    listed: false,
    reason: '综合评分靠后',
    at: AT,
    conflictedExpertIds: [],
  });
  const ineligible = play(
    candidacyDecider,
    open({ ...f.passingFacts(), premises: { buildingAreaM2: '4999.99' } }),
  );
  const expert = play(
    expertDecider,
    { kind: 'register', expertId: 'e1', name: '李四', specialties: ['技术转移'], at: AT },
    {
      kind: 'declare-conflict',
      institution: { name: 'Institution 1' },
      reason: '曾任该机构顾问',
      at: AT,
    },
  );
  return [
    { centerId: 'app-1', events: recognised },
    { centerId: 'app-1', events: upheld },
    { centerId: 'app-1', events: notListed },
    { centerId: 'app-1', events: ineligible },
    { centerId: null, events: expert },
  ];
}

export function reportingExamples(): ServiceExamples[] {
  const { obligationsDecider, helper: h } = services.reporting;
  const HASH = 'a'.repeat(64);
  // Opened on the facts a recognition carries, as reporting's consumer passes them on.
  const recognition = reviewExamples()
    .flatMap((e) => e.events)
    .find((e) => e.type === 'review.center-recognized');
  const events = play(
    obligationsDecider,
    h.open('2026-03-10', (recognition!.payload as CenterRecognizedV1).facts),
    { kind: 'declare-operation-start', startedOn: '2026-05-01', today: '2026-05-02', policy: h.policy },
    { kind: 'reject-operation-start', reason: '未见运营记录', today: '2026-05-03', policy: h.policy },
    { kind: 'declare-operation-start', startedOn: '2026-05-01', today: '2026-05-04', policy: h.policy },
    {
      kind: 'confirm-operation-start',
      basis: '现场核查：服务大厅开放，运营团队在岗',
      today: '2026-05-05',
      policy: h.policy,
    },
    {
      kind: 'log-activity',
      activityId: 'a1',
      type: 'roadshow',
      heldOn: '2026-05-10',
      title: '成果路演',
      participants: 40,
      evidenceHash: HASH,
      today: '2026-05-11',
    },
    { kind: 'withdraw-activity', activityId: 'a1', reason: '与5月9日路演重复登记', today: '2026-05-12' },
    h.deadline('2026-Q1', '2026-04-16'),
    h.quarterly(2026, 1, '2026-04-20'),
    // A correction: the same period again, saying more.
    h.quarterly(
      2026,
      1,
      '2026-04-21',
      { majorActivities: '路演12场', importantResults: '促成技术合同4项' },
      '补充第一季度成果',
    ),
    h.annual(2026, '2027-01-10'),
    {
      kind: 'report-major-change',
      changeId: 'ch1',
      changes: ['area_changed'],
      description: '场地缩减',
      effectiveOn: '2026-06-01',
      newFacts: { premises: { buildingAreaM2: '4000.00' } },
      today: '2026-06-02',
      policy: h.policy,
    },
    {
      kind: 'end-obligations',
      centerId: h.CENTER,
      endedOn: '2026-06-10',
      ruleId: 'A16',
      reason: '重大变化后不再符合条件',
      policy: h.policy,
      policyOn: h.policyOn,
    },
  );
  // A17.3a: a start declared in time (the day after the stored deadline), rejected after declarations closed.
  const deadlinePassed = play(
    obligationsDecider,
    h.open('2026-03-10'),
    { kind: 'declare-operation-start', startedOn: '2028-03-10', today: '2028-03-11', policy: h.policy },
    { kind: 'pass-operating-deadline', today: '2028-03-26', policy: h.policy },
    {
      kind: 'reject-operation-start',
      reason: '现场核查未见运营团队',
      deadlinePassedAcknowledged: true,
      today: '2028-03-28',
      policy: h.policy,
    },
  );
  return [
    { centerId: h.CENTER, events },
    { centerId: h.CENTER, events: deadlinePassed },
  ];
}

export function assessmentExamples(): ServiceExamples[] {
  const { centerDecider, helper: h } = services.assessment;
  const graded = play(
    centerDecider,
    h.track('2026-03-10'),
    { kind: 'record-operation-start', startedOn: '2026-05-01', confirmedOn: '2026-05-02', policy: h.policy },
    h.scored(2026, 50, '35.5'),
    h.graded(2027, '不合格'),
    h.graded(2028, '不合格'),
  );
  // The A16 re-check as reporting recorded it: what assessment acts on (reporting.major-change-evaluated).
  const evaluated = reportingExamples()
    .flatMap((e) => e.events)
    .find((e) => e.type === 'reporting.major-change-evaluated');
  const majorChange = (evaluated!.payload as MajorChangeEvaluatedV1).decision;
  const revokedOnChange = play(centerDecider, h.track('2026-03-10'), {
    kind: 'act-on-major-change',
    changeId: 'ch1',
    stillEligible: false,
    decision: majorChange,
    evaluatedOn: '2026-06-02',
  });
  const missedDeadline = play(centerDecider, h.track('2026-03-10'), {
    kind: 'act-on-operating-deadline-passed',
    operatingDeadline: '2028-03-10',
    passedOn: '2028-03-11',
    cause: 'deadline' as const,
    policy: h.policy,
  });
  // A grade corrected directly, then from corrected scores into a second consecutive 不合格 (A17.3b).
  const revised = play(
    centerDecider,
    h.track('2026-03-10'),
    h.graded(2026, '不合格'),
    h.revisedTo(2026, '合格'),
    h.graded(2027, '不合格'),
    {
      kind: 'revise-assessment',
      year: 2026,
      method: { kind: 'score', indicators: [{ name: '综合', score: '55.5' }] },
      reason: '复核：综合得分55.5',
      today: '2028-03-01',
      gradePolicy: h.policy,
      policy: h.policy,
    },
  );
  return [graded, revokedOnChange, missedDeadline, revised].map((events) => ({
    centerId: h.CENTER,
    events,
  }));
}

export function financeExamples(): ServiceExamples[] {
  const { subsidyAccountDecider, policyBookDecider, given: g } = services.finance;
  const account = play(
    subsidyAccountDecider,
    g.open(),
    g.declare(g.yuan('1000000')),
    g.approve(g.yuan('900000'), 'one invoice is not a year-1 cost'),
    g.revise(g.yuan('1000000'), 'the invoice is a year-1 cost after all'),
    g.disburse(1, g.yuan('200000'), 'pay-1'),
    g.spend(1, 'rent', g.yuan('1000'), 'x1'),
    g.spend(1, 'entertainment', g.yuan('1000'), 'x2'),
    g.disburse(1, g.yuan('100000'), 'pay-2'),
    {
      kind: 'correct-entry',
      reversalEntryId: 'rev-1',
      reversesEntryId: 'pay-2',
      reason: 'voucher keyed wrongly',
      correctedOn: '2026-06-10',
      policy: defaultPolicy,
    },
    g.assessed(1, '良好'),
    // The 2026 grade corrected at assessment (良好 → 优秀): support year 2 granted again (A12.3).
    {
      kind: 'revise-grant-on-assessment',
      assessedYear: 2026,
      assessedSupportYear: 1,
      previousGrade: '良好',
      grade: '优秀',
      reason: '录入错误，按考核结论更正',
      revisedOn: '2027-03-20',
      reversalEntryId: 'regrant-reversal-1',
      entryId: 'regrant-1',
      policy: defaultPolicy,
    },
    g.revoke('2027-06-01'),
    // Paid before the revocation, recorded after the stop: taken back from year 2's cancellation.
    { ...g.disburse(2, g.yuan('1000'), 'pay-before'), disbursedOn: '2027-05-20', recordedOn: '2027-06-05' },
  );
  // A disbursement dated after the revocation, recorded before finance read it: named at the stop.
  const paidLate = play(
    subsidyAccountDecider,
    g.open(),
    { ...g.declare(g.yuan('900000')), declarationId: 'd0', declaredOn: '2026-03-20' },
    // Declared again before the bureau's decision: replaces d0, saying why (A12.2).
    { ...g.declare(g.yuan('1000000')), replacesDeclarationId: 'd0', reason: 'fit-out invoice left out' },
    g.approve(g.yuan('1000000')),
    { ...g.disburse(1, g.yuan('100'), 'late'), disbursedOn: '2026-08-03', recordedOn: '2026-08-03' },
    g.revoke('2026-08-01'),
  );
  // Year 3 paid the day after the A17.3a operating deadline, no start recorded, knowingly: the check recorded.
  const pastDeadline = play(
    subsidyAccountDecider,
    g.open(),
    g.declare(g.yuan('1000000')),
    g.approve(g.yuan('1000000')),
    g.assessed(1, '良好'),
    g.assessed(2, '良好'),
    {
      ...g.disburse(3, g.yuan('1000'), 'pay-after-deadline'),
      disbursedOn: '2028-03-11',
      recordedOn: '2028-03-11',
      operatingDeadline: {
        recognizedOn: '2026-03-10',
        deadline: '2028-03-10',
        operationStartedOn: null,
        policy: defaultPolicy,
      },
      deadlinePassedAcknowledged: true,
    },
  );
  const policies = play(policyBookDecider, {
    kind: 'publish',
    policy: { ...DEFAULT_POLICY, version: 'policy-2027.1', effectiveFrom: '2027-01-01' },
    publishedOn: '2026-11-01',
    reason: 'city budget 2027',
  });
  return [
    { centerId: 'center-1', events: account },
    { centerId: 'center-1', events: paidLate },
    { centerId: null, events: policies },
    { centerId: 'center-1', events: pastDeadline },
  ];
}
