import eligible from '../../../../libs/rules/examples/eligible-application.json';
import { uuidv7, type EventEnvelope } from '@nqpf/contracts';
import {
  decideConsecutiveUnqualified,
  decideEligibility,
  decideObjectionAdmissible,
  defaultPolicy,
  replayMatches,
} from '@nqpf/rules';
import { toTrailEntry, topicOf, asShownToTheCenter } from './trail-entry';

function event(type: string, payload: unknown, centerId: string | null = 'c1'): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: 's1',
    streamVersion: 1,
    position: '1',
    occurredAt: '2026-03-05T01:00:00.000Z',
    recordedAt: '2026-03-05T01:00:01.000Z',
    correlationId: 'corr',
    causationId: null,
    actor: { id: 'd-1', role: 'district_office', district: '南关区' },
    centerId,
    payload,
    previousHash: null,
    hash: 'h',
  };
}

describe('a trail line from an event', () => {
  it('shows a grade corrected by the bureau: who, when, why, the grades, and the A17.3b check to replay', () => {
    const check = decideConsecutiveUnqualified({ grades: [{ year: 2027, grade: '合格' }] }, defaultPolicy);
    const revised = {
      ...event('assessment.assessment-revised', {
        centerId: 'c1',
        year: 2027,
        supportYear: 2,
        previousGrade: '不合格',
        grade: '合格',
        method: 'direct',
        indicators: null,
        score: null,
        gradeReason: '全年活动达标',
        reason: '录入错误：考核结论为合格',
        assessedOn: '2028-02-15',
        revisedOn: '2028-02-16',
        decision: null,
        revocationCheck: check,
      }),
      actor: { id: 'bureau-7', role: 'city_bureau' as const },
    };
    const line = toTrailEntry(revised)!;
    expect(line).toMatchObject({
      topic: 'assessment',
      type: 'assessment.assessment-revised',
      actor: { id: 'bureau-7', role: 'city_bureau', district: null },
      reason: '录入错误：考核结论为合格',
      payload: { previousGrade: '不合格', grade: '合格', revisedOn: '2028-02-16', decision: null },
      decisions: [{ field: 'revocationCheck', rule: 'consecutive-unqualified', outcome: { revoke: false } }],
    });
    expect(replayMatches(line.decisions[0]!.recorded as typeof check)).toBe(true);
  });

  it('records who acted, their written reason and the district the payload names', () => {
    const line = toTrailEntry(
      event('intake.application-returned-by-district', { district: '南关区', reasons: ['缺少场地证明'] }),
    );
    expect(line).toMatchObject({
      topic: 'intake',
      centerId: 'c1',
      actor: { id: 'd-1', role: 'district_office', district: '南关区' },
      reason: '缺少场地证明',
      decisions: [],
      district: '南关区',
    });
  });

  // The human decisions whose payload names the person's text otherwise than `reason`/`reasons`.
  it.each([
    [
      'intake.application-endorsed',
      { applicationId: 'c1', district: '南关区', opinion: '同意推荐' },
      '同意推荐',
    ],
    [
      'review.expert-review-recorded',
      { applicationId: 'c1', score: 85, opinion: '服务功能齐全' },
      '服务功能齐全',
    ],
    ['review.site-inspection-recorded', { applicationId: 'c1', finding: '场地面积不足' }, '场地面积不足'],
    ['review.objection-investigation-started', { applicationId: 'c1', note: '约谈举报人' }, '约谈举报人'],
    // A correction's written reason is why it was corrected (its opinion or finding is the work itself).
    [
      'review.expert-review-revised',
      { applicationId: 'c1', score: 70, opinion: '服务功能齐全', reason: '漏计经纪人，更正评分' },
      '漏计经纪人，更正评分',
    ],
    [
      'review.site-inspection-revised',
      { applicationId: 'c1', finding: '场地面积不足', reason: '考察日期登记有误' },
      '考察日期登记有误',
    ],
    ['review.objection-upheld', { applicationId: 'c1', reason: '面积不实' }, '面积不实'],
    // A year-1 declaration replacing the pending one says why (A12.2).
    [
      'finance.year1-costs-declared',
      { centerId: 'c1', declarationId: 'd2', replacesDeclarationId: 'd1', reason: '漏报建设费' },
      '漏报建设费',
    ],
    [
      'review.application-rejected',
      { applicationId: 'c1', reasons: ['A6.1 不符', 'A6.4 不符'] },
      'A6.1 不符; A6.4 不符',
    ],
  ])("shows %s with the person's written text as its reason", (type, payload, reason) => {
    expect(toTrailEntry(event(type, payload))!.reason).toBe(reason);
  });

  it('lists each automated decision with its rule, versions and every pass/fail reason', () => {
    const decision = decideEligibility(eligible, defaultPolicy);
    const line = toTrailEntry(event('review.eligibility-decided', { applicationId: 'c1', decision }));
    expect(line!.decisions).toHaveLength(1);
    expect(line!.decisions[0]).toMatchObject({
      field: 'decision',
      rule: 'eligibility',
      policyVersion: defaultPolicy.version,
      outcome: decision.outcome,
    });
    expect(line!.decisions[0]!.reasons.map((r) => r.ruleId)).toEqual(decision.reasons.map((r) => r.ruleId));
    expect(line!.decisions[0]!.reasons.every((r) => r.passed)).toBe(true);
    // What an auditor copies for `nqpf rules replay --file`: the decision as recorded, inputs included.
    expect(line!.decisions[0]!.recorded).toEqual(decision);
    expect(replayMatches(line!.decisions[0]!.recorded as typeof decision)).toBe(true);
  });

  it('takes the center from the payload when the envelope has none, and skips events about no center', () => {
    expect(toTrailEntry(event('finance.x', { centerId: 'c9' }, null))!.centerId).toBe('c9');
    expect(toTrailEntry(event('intake.call-opened', { callId: 'k' }, null))).toBeNull();
  });

  it('names the topic by the service prefix of the type', () => {
    expect(topicOf('assessment.graded')).toBe('assessment');
    expect(topicOf('somewhere.else')).toBe('unknown');
  });
});

describe("an objector's name and contact in the trail", () => {
  const admissibility = decideObjectionAdmissible(
    {
      receivedAt: '2026-03-12T09:00:00+08:00',
      publishedOn: '2026-03-10',
      publicityEndsAtExclusive: '2026-03-17T00:00:00+08:00',
      inWriting: true,
      realName: '张三',
      contact: '13900000000',
    },
    defaultPolicy,
  );
  const line = toTrailEntry(
    event('review.objection-raised', { applicationId: 'c1', content: '场地面积不实', admissibility }),
  )!;

  it('are withheld from the center and its district office, the outcome and reasons kept', () => {
    const shown = asShownToTheCenter(line);
    expect(shown.decisions[0]!.recorded.inputs).toMatchObject({
      realName: '(withheld)',
      contact: '(withheld)',
    });
    expect(JSON.stringify(shown)).not.toMatch(/张三|13900000000/);
    // Who sent it is withheld too: an objector signed in (a rival operator, say) is the event's actor.
    expect(shown.actor).toEqual({ id: '(withheld)', role: '(withheld)', district: null });
    expect(line.actor).toMatchObject({ id: 'd-1' });
    expect(shown.decisions[0]!.reasons).toEqual(line.decisions[0]!.reasons);
    expect(shown.decisions[0]!.outcome).toEqual({ admissible: true, failed: [] });
    // The recorded line itself is untouched (the bureau and auditors replay it).
    expect(line.decisions[0]!.recorded.inputs).toMatchObject({ realName: '张三' });
  });

  it('withhold from the center who wrote a refused letter, what it says, its register entry and who entered it, also an anonymous one; why A9.4 refused it is kept', () => {
    const refusal = decideObjectionAdmissible(
      {
        receivedAt: '2026-03-18T09:00:00+08:00',
        publishedOn: '2026-03-10',
        publicityEndsAtExclusive: '2026-03-17T00:00:00+08:00',
        inWriting: true,
      },
      defaultPolicy,
    );
    const refused = toTrailEntry({
      ...event('review.objection-refused', {
        applicationId: 'c1',
        objectionId: 'o9',
        objector: {},
        content: '匿名来信：场地出租他用',
        receivedAt: '2026-03-18T01:00:00.000Z',
        letter: { reference: '长科收〔2026〕140号', enteredAt: '2026-03-19T01:00:00.000Z' },
        admissibility: refusal,
      }),
      actor: { id: 'bureau-clerk-7', role: 'city_bureau' },
    })!;
    // The bureau and auditors: as recorded, the decision in `decisions`.
    expect(refused.decisions).toMatchObject([
      { field: 'admissibility', rule: 'objection-admissible', outcome: { admissible: false } },
    ]);
    expect(refused.payload).not.toHaveProperty('admissibility');
    const shown = asShownToTheCenter(refused);
    expect(shown.payload).toEqual({
      applicationId: 'c1',
      objectionId: 'o9',
      receivedAt: '2026-03-18T01:00:00.000Z',
      objector: '(withheld)',
      content: '(withheld)',
      letter: '(withheld)',
    });
    expect(shown.actor).toEqual({ id: '(withheld)', role: '(withheld)', district: null });
    expect(JSON.stringify(shown)).not.toMatch(/场地|140号|bureau-clerk-7/);
    expect(shown.decisions[0]!.outcome).toEqual({
      admissible: false,
      failed: ['A9.4:inPeriod', 'A9.4:realName', 'A9.4:contact'],
    });
  });

  it('leaves lines without personal inputs as they are', () => {
    const decided = toTrailEntry(
      event('review.eligibility-decided', { decision: decideEligibility(eligible, defaultPolicy) }),
    )!;
    expect(asShownToTheCenter(decided)).toBe(decided);
  });
});

describe("reviewers' work in the trail the center sees", () => {
  it.each([
    [
      'review.expert-review-recorded',
      { applicationId: 'c1', score: 40, opinion: '场地与申报不符，不建议推荐' },
    ],
    ['review.site-inspection-recorded', { applicationId: 'c1', finding: '场地面积不足' }],
    [
      'review.expert-review-revised',
      {
        applicationId: 'c1',
        score: 45,
        opinion: '场地与申报不符',
        reason: '评分标准不符，更正',
        previousScore: 60,
      },
    ],
    [
      'review.site-inspection-revised',
      { applicationId: 'c1', satisfactory: false, finding: '场地面积不足', reason: '约谈记录不符，更正' },
    ],
    ['review.objection-investigation-started', { applicationId: 'c1', note: '约谈举报人核实' }],
  ])('%s shows that it happened, not who wrote what', (type, payload) => {
    const line = toTrailEntry({ ...event(type, payload), actor: { id: 'expert-zhang', role: 'expert' } })!;
    const shown = asShownToTheCenter(line);
    expect(shown).toMatchObject({ type, actor: { id: '(withheld)', role: 'expert' }, reason: '(withheld)' });
    expect(JSON.stringify(shown)).not.toMatch(/expert-zhang|不符|不足|约谈/);
    expect(line).toMatchObject({ actor: { id: 'expert-zhang' } });
  });

  it("leaves a district office's endorsement opinion and the bureau's decisions as recorded", () => {
    const endorsed = toTrailEntry(
      event('intake.application-endorsed', { applicationId: 'c1', district: '南关区', opinion: '同意推荐' }),
    )!;
    expect(asShownToTheCenter(endorsed)).toBe(endorsed);
  });
});
