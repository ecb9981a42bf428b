import request from 'supertest';
import type { PoolClient } from 'pg';
import { EventEnvelope, FinanceEventTypes, serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, inboxTableName } from '@nqpf/messaging';
import { decideOperatingDeadline, DEFAULT_POLICY, defaultPolicy } from '@nqpf/rules';
import { ManualClock, PublishedPolicies } from '@nqpf/platform';
import {
  eventually,
  publishEvent,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadReportingConfig } from '../../../reporting/src/config';
import { OperatingDeadlineTimer } from '../../../reporting/src/obligations/operating-deadline.timer';
import { ReportDeadlineTimer } from '../../../reporting/src/obligations/report-deadline.timer';
import { ReportingModule } from '../../../reporting/src/reporting.module';
import { loadAssessmentConfig } from '../config';
import { AssessmentModule } from '../assessment.module';
import { parkedEvents } from './assessment.store';

/** The art. 6 facts recognised, as review.center-recognized carries them (ApplicationFactsV1). */
const FACTS = {
  premises: { buildingAreaM2: '5200.00' },
  services: [
    'technology_trading',
    'intellectual_property',
    'financial_matching',
    'talent_services',
    'legal_services',
  ],
  functions: ['display', 'interaction', 'trading', 'transformation'],
  institutions: [
    '吉林大学',
    '长春理工大学',
    '光机所',
    '应化所',
    '甲公司',
    '乙公司',
    '丙公司',
    '丁公司',
    '知识产权所',
    '转移中心',
  ].map((name, i) => ({
    name,
    kind: i < 2 ? 'university' : i < 4 ? 'research_institute' : i < 8 ? 'enterprise' : 'st_service_org',
  })),
  strategicCooperations: [{ partner: '长春市科学技术局', level: 'city' }],
  operator: { name: '长春某促进中心运营管理有限公司', creditCode: '91220101MA14ABCD0Y' },
  team: { staffInPost: 10, brokers: { junior: 0, intermediate: 3, senior: 2 } },
  activities: { count: 100, periodFrom: '2025-03-01', periodTo: '2026-02-28' },
};

/**
 * reporting → Kafka → assessment → Kafka → reporting, on real PostgreSQL and Kafka, with one clock the
 * test moves: the public cases 9, 10 and 11 of RULES.md and the A16 major-change revocation. A17.3a's
 * stored deadline is reporting's (its OperatingDeadlineTimer, ticked here); assessment decides on
 * reporting.operating-deadline-passed, with no timer of its own.
 */
describe('revocation end to end: reporting and assessment over Kafka', () => {
  const environment = testEnvironment(uniqueName('revocation'));
  const clock = new ManualClock(new Date('2026-03-10T09:00:00+08:00'));
  const kafka = createKafka('revocation-e2e-test', testInfra().kafkaBrokers);
  let reporting: ServiceUnderTest;
  let assessment: ServiceUnderTest;
  const at = (isoDate: string) => clock.set(`${isoDate}T10:00:00+08:00`);

  beforeAll(async () => {
    const quiet = { REPORTING_TIMER_INTERVAL_MS: '0' };
    reporting = await startService('reporting', environment, (env) =>
      ReportingModule.forRoot(loadReportingConfig({ ...env, ...quiet }), env, { clock }),
    );
    assessment = await startService('assessment', environment, (env) =>
      AssessmentModule.forRoot(loadAssessmentConfig({ ...env, ...quiet }), env, { clock }),
    );
    await recognise(); // warm-up: both consumer groups are running once this is seen on both sides
    consumerBudgetMs = 20_000;
  }, 120_000);
  afterAll(async () => {
    await reporting?.close();
    await assessment?.close();
  });

  const bureau = () => assessment.token({ role: 'city_bureau', sub: 'bureau-1' });

  async function standing(centerId: string) {
    const res = await request(assessment.app.getHttpServer())
      .get(`/centers/${centerId}/assessment`)
      .set('authorization', `Bearer ${await bureau()}`)
      .expect(200);
    return res.body;
  }

  async function obligations(centerId: string) {
    const res = await request(reporting.app.getHttpServer())
      .get(`/centers/${centerId}/obligations`)
      .set('authorization', `Bearer ${await reporting.token({ role: 'city_bureau' })}`)
      .expect(200);
    return res.body;
  }

  /** Consumers joining their groups on fresh topics can take a while on a busy broker. */
  let consumerBudgetMs = 90_000;

  /** Review's recognition of the center on 2026-03-10, as assessment and reporting read it. */
  const publishRecognition = (centerId: string, extra: Record<string, unknown> = {}) =>
    publishEvent(kafka, serviceTopic('review', environment.topicPrefix), 'review.center-recognized', {
      centerId,
      recognitionDate: '2026-03-10',
      district: '朝阳区',
      operator: { accountId: 'op-1', name: '运营公司', creditCode: '91220101MA14ABCD0Y' },
      callId: 'call-1',
      ...extra,
    });

  async function recognise(extra: Record<string, unknown> = {}): Promise<string> {
    const centerId = uuidv7();
    at('2026-03-10');
    await publishRecognition(centerId, extra);
    await eventually(() => standing(centerId), consumerBudgetMs);
    await eventually(() => obligations(centerId), consumerBudgetMs);
    return centerId;
  }

  /** Reporting's stored report deadlines (A14, A15) pass up to the test's clock; the next periods are scheduled. */
  const passReportDeadlines = () => reporting.app.get(ReportDeadlineTimer).tick();

  /**
   * Reporting's timer passes the report deadlines up to the assessment day first (each period is scheduled
   * when the one before it has passed); until assessment's copy holds those periods it answers 503.
   */
  async function grade(centerId: string, year: number, g: string) {
    at(`${year + 1}-02-15`);
    await passReportDeadlines();
    return eventually(async () => {
      const res = await request(assessment.app.getHttpServer())
        .post(`/centers/${centerId}/assessments`)
        .set('authorization', `Bearer ${await bureau()}`)
        .send({ year, method: { kind: 'direct', grade: g, reason: `${year}年度考核意见` } });
      expect(res.status).not.toBe(503);
      return res;
    }, consumerBudgetMs);
  }

  async function operator(centerId: string) {
    return reporting.token({ role: 'operator', centerId, sub: 'op-1' });
  }

  const office = () => reporting.token({ role: 'district_office', district: '朝阳区' });

  async function declareStart(centerId: string, startedOn: string) {
    await request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/operation-start`)
      .set('authorization', `Bearer ${await operator(centerId)}`)
      .send({ startedOn })
      .expect(200);
  }

  async function confirmStart(centerId: string) {
    await request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/operation-start/confirm`)
      .set('authorization', `Bearer ${await office()}`)
      .send({ basis: '现场核查：运营团队在岗' })
      .expect(200);
  }

  /** Reporting's stored A17.3a deadlines fire (the test's clock decides which have passed). */
  const fireOperatingDeadlines = () => reporting.app.get(OperatingDeadlineTimer).tick();

  it('case 9: 不合格 in 2027 and 2028 → revoked after the 2028 assessment; reporting then takes only the reports of periods lived before it', async () => {
    const centerId = await recognise();
    expect((await grade(centerId, 2027, '不合格')).status).toBe(201);
    const second = await grade(centerId, 2028, '不合格');
    expect(second.status).toBe(201);
    expect(second.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'assessment.assessment-completed',
      'assessment.center-revoked',
    ]);
    expect(await standing(centerId)).toMatchObject({
      status: 'revoked',
      revocation: { ruleId: 'A17.3b', reason: 'consecutive-unqualified', revokedOn: '2029-02-15' },
    });
    await eventually(async () => expect(await obligations(centerId)).toMatchObject({ status: 'ended' }));
    const fileQuarter = async (year: number, quarter: number, status: number) =>
      request(reporting.app.getHttpServer())
        .post(`/centers/${centerId}/reports`)
        .set('authorization', `Bearer ${await operator(centerId)}`)
        .send({ kind: 'quarterly', year, quarter, content: { majorActivities: 'x', importantResults: 'y' } })
        .expect(status);
    // 2028-Q4 ended before the revocation day: still owed, filed late (RULES A14–A15).
    expect((await fileQuarter(2028, 4, 201)).body.recorded[0].payload).toMatchObject({ late: true });
    const refused = await fileQuarter(2029, 1, 409);
    expect(refused.body.message).toContain('center revoked on 2029-02-15 (A17.3b)');
    expect(refused.body.message).toContain('period 2029-Q1 ended after that day');
    const later = await grade(centerId, 2029, '优秀');
    expect(later.status).toBe(409);
    expect(later.body.message).toContain('center revoked on 2029-02-15 (A17.3b)');
  });

  /** POST /centers/:id/assessments/:year/revision as `token` (default: the bureau's). */
  async function revise(centerId: string, year: number | string, body: object, token?: string) {
    return request(assessment.app.getHttpServer())
      .post(`/centers/${centerId}/assessments/${year}/revision`)
      .set('authorization', `Bearer ${token ?? (await bureau())}`)
      .send(body);
  }
  const direct = (grade: string) => ({ kind: 'direct', grade, reason: '考核结论（更正）' });

  it('a grade keyed wrongly is corrected by the bureau with a reason; A17.3b is checked on the corrected grades', async () => {
    const centerId = await recognise();
    expect((await grade(centerId, 2027, '不合格')).status).toBe(201);
    at('2028-02-16');
    // Only the bureau corrects a grade (docs/security.md); nothing is recorded for the others.
    for (const token of [
      await assessment.token({ role: 'finance_officer' }),
      await assessment.token({ role: 'district_office', district: '朝阳区' }),
      await assessment.token({ role: 'operator', centerId, sub: 'op-1' }),
      await assessment.token({ role: 'auditor' }),
    ]) {
      const res = await revise(centerId, 2027, { reason: '录入错误', method: direct('合格') }, token);
      expect(res.status).toBe(403);
    }
    const noReason = await revise(centerId, 2027, { reason: '  ', method: direct('合格') });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ error: 'invalid_input', field: 'reason' });
    expect(noReason.body.message).toContain('A17.1');
    expect((await revise(centerId, 2027, { method: direct('合格') })).body).toMatchObject({
      field: 'reason',
    });
    const never = await revise(centerId, 2026, { reason: '录入错误', method: direct('合格') });
    expect(never.status).toBe(409);
    expect(never.body.message).toBe('cannot revise the 2026 assessment when 2026 not assessed');
    expect((await revise(centerId, 'x', { reason: '录入错误', method: direct('合格') })).body).toMatchObject({
      field: 'year',
    });

    const corrected = await revise(centerId, 2027, {
      reason: '录入错误：考核结论为合格',
      method: direct('合格'),
    });
    expect(corrected.status).toBe(201);
    expect(corrected.body.recorded).toEqual([
      {
        type: 'assessment.assessment-revised',
        payload: expect.objectContaining({
          year: 2027,
          supportYear: 2,
          previousGrade: '不合格',
          grade: '合格',
          reason: '录入错误：考核结论为合格',
          assessedOn: '2028-02-15',
          revisedOn: '2028-02-16',
        }),
      },
    ]);
    expect(await standing(centerId)).toMatchObject({ status: 'recognised', grades: { 2027: '合格' } });
    const same = await revise(centerId, 2027, { reason: '再次确认', method: direct('合格') });
    expect(same.status).toBe(409);
    expect(same.body.message).toContain('2027 is graded 合格 already');

    // 不合格 for 2028 no longer revokes; correcting 2027 back to 不合格 does (two consecutive).
    const next = await grade(centerId, 2028, '不合格');
    expect(next.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'assessment.assessment-completed',
    ]);
    at('2029-03-01');
    const revoking = await revise(centerId, 2027, {
      reason: '复核：2027年度考核不合格',
      method: { kind: 'score', indicators: [{ name: '综合', score: '55.00' }] },
    });
    expect(revoking.status).toBe(201);
    expect(revoking.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'assessment.assessment-revised',
      'assessment.center-revoked',
    ]);
    expect(await standing(centerId)).toMatchObject({
      status: 'revoked',
      revocation: { ruleId: 'A17.3b', revokedOn: '2029-03-01' },
    });
    // Revocation is final: the grade that revoked is the bureau's question, not a revision.
    const afterRevocation = await revise(centerId, 2027, { reason: '申诉', method: direct('合格') });
    expect(afterRevocation.status).toBe(409);
    expect(afterRevocation.body.message).toContain('recognition is revoked for good');
  });

  it('case 10: 不合格 2027, 合格 2028, 不合格 2029 → not revoked; the assessment shows the year’s activities', async () => {
    const centerId = await recognise();
    at('2027-05-20');
    await request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/activities`)
      .set('authorization', `Bearer ${await operator(centerId)}`)
      .send({
        type: 'roadshow',
        heldOn: '2027-05-20',
        title: '路演',
        participants: 30,
        evidenceHash: 'b'.repeat(64),
      })
      .expect(201);
    await passReportDeadlines();
    await eventually(async () => {
      const inputs = await request(assessment.app.getHttpServer())
        .get(`/centers/${centerId}/assessments/2027/inputs`)
        .set('authorization', `Bearer ${await bureau()}`)
        .expect(200);
      expect(inputs.body).toMatchObject({ activityCount: 1 });
    });
    const first = await grade(centerId, 2027, '不合格');
    expect(first.status).toBe(201);
    expect(first.body.recorded[0].payload).toMatchObject({ activityCount: 1, supportYear: 2 });
    expect((await grade(centerId, 2028, '合格')).status).toBe(201);
    const third = await grade(centerId, 2029, '不合格');
    expect(third.body.recorded.map((e: { type: string }) => e.type)).toEqual([
      'assessment.assessment-completed',
    ]);
    expect(await standing(centerId)).toMatchObject({ status: 'recognised', revocation: null });
  });

  it('an assessment waits for reporting to pass the year’s report deadlines, then records every missing report', async () => {
    const centerId = await recognise();
    at('2028-02-15');
    const token = await bureau();
    const inputs = () =>
      request(assessment.app.getHttpServer())
        .get(`/centers/${centerId}/assessments/2027/inputs`)
        .set('authorization', `Bearer ${token}`);
    // Reporting's timer has not run since the recognition: only 2026-Q1 and the 2026 annual report exist
    // (once assessment's copy has them: until then it is behind on the opening itself, a 503 too).
    await eventually(async () => {
      const behind = await inputs().expect(503);
      expect(behind.body.message).toContain('report 2026-Q1 (due 2026-04-15)');
    }, consumerBudgetMs);
    await request(assessment.app.getHttpServer())
      .post(`/centers/${centerId}/assessments`)
      .set('authorization', `Bearer ${token}`)
      .send({ year: 2027, method: { kind: 'direct', grade: '合格', reason: '2027年度考核意见' } })
      .expect(503);
    const graded = await grade(centerId, 2027, '合格');
    expect(graded.status).toBe(201);
    const missingAll = { due: 5, filedOnTime: 0, filedLate: 0, missing: 5 };
    expect(graded.body.recorded[0].payload).toMatchObject({ reportCompliance: missingAll });
    expect((await inputs().expect(200)).body).toMatchObject({ reportCompliance: missingAll });
  });

  async function startOperation(centerId: string, startedOn: string) {
    at(startedOn);
    await declareStart(centerId, startedOn);
    await confirmStart(centerId);
    await eventually(async () => expect((await standing(centerId)).startedOn).toBe(startedOn));
  }

  it('case 11: recognised 2026-03-10; operating from 2028-03-10 → kept, also declared on 2028-03-11; from 2028-03-11 or never → revoked from 2028-03-11, recorded once declarations closed (2028-03-25)', async () => {
    const inTime = await recognise();
    const declaredLate = await recognise();
    const late = await recognise();
    const never = await recognise();
    await startOperation(inTime, '2028-03-10');
    // The reviewer's probe: the start was made on the deadline day, its paperwork came the day after.
    at('2028-03-11');
    await fireOperatingDeadlines();
    await declareStart(declaredLate, '2028-03-10');
    await confirmStart(declaredLate);
    const refused = await request(reporting.app.getHttpServer())
      .post(`/centers/${late}/operation-start`)
      .set('authorization', `Bearer ${await operator(late)}`)
      .send({ startedOn: '2028-03-11' })
      .expect(422);
    expect(refused.body).toMatchObject({
      rule: 'A17.3',
      field: 'startedOn',
      operatingDeadline: '2028-03-10',
    });
    at('2028-03-25');
    await fireOperatingDeadlines();
    expect(await obligations(never)).toMatchObject({ operatingDeadlinePassed: null });
    at('2028-03-26');
    await fireOperatingDeadlines();
    for (const centerId of [never, late])
      await eventually(async () =>
        expect(await standing(centerId)).toMatchObject({
          status: 'revoked',
          revocation: { ruleId: 'A17.3a', reason: 'not-operating-within-deadline', revokedOn: '2028-03-11' },
        }),
      );
    await eventually(async () =>
      expect(await standing(declaredLate)).toMatchObject({
        status: 'operating',
        startedOn: '2028-03-10',
        revocation: null,
      }),
    );
    expect(await standing(inTime)).toMatchObject({ status: 'operating', revocation: null });
    for (const centerId of [inTime, declaredLate])
      expect(await obligations(centerId)).toMatchObject({
        operatingDeadline: '2028-03-10',
        startDeclarationsCloseOn: '2028-03-25',
        operatingDeadlinePassed: null,
      });
    await eventually(async () =>
      expect(await obligations(never)).toMatchObject({
        status: 'ended',
        operatingDeadlinePassed: { passedOn: '2028-03-26', cause: 'deadline' },
      }),
    );
  });

  it('case 11 with a late confirmation: declared 2028-03-10, declarations close 2028-03-25, confirmed 2028-03-27 → kept; a declaration rejected after declarations closed → revoked then', async () => {
    const confirmed = await recognise();
    const rejected = await recognise();
    at('2028-03-10');
    for (const centerId of [confirmed, rejected]) await declareStart(centerId, '2028-03-10');
    at('2028-03-26');
    await fireOperatingDeadlines();
    for (const centerId of [confirmed, rejected])
      expect(await obligations(centerId)).toMatchObject({
        declaredStart: { startedOn: '2028-03-10' },
        operatingDeadlinePassed: null,
      });
    at('2028-03-27');
    await confirmStart(confirmed);
    await eventually(async () =>
      expect(await standing(confirmed)).toMatchObject({
        status: 'operating',
        startedOn: '2028-03-10',
        revocation: null,
      }),
    );
    at('2028-03-28');
    await request(reporting.app.getHttpServer())
      .post(`/centers/${rejected}/operation-start/reject`)
      .set('authorization', `Bearer ${await office()}`)
      .send({ reason: '现场核查未见运营团队在岗', deadlinePassedAcknowledged: true })
      .expect(200);
    await eventually(async () =>
      expect(await standing(rejected)).toMatchObject({
        status: 'revoked',
        revocation: { ruleId: 'A17.3a', reason: 'not-operating-within-deadline', revokedOn: '2028-03-28' },
      }),
    );
    await eventually(async () => expect(await obligations(rejected)).toMatchObject({ status: 'ended' }));
    expect(await standing(confirmed)).toMatchObject({ status: 'operating', revocation: null });
  });

  /**
   * Assessment's consumer stalls (a slow relay, a restart, a long batch): here its inbox is locked, so every
   * event it reads waits. It must not matter — whether the deadline passed without a start is decided on
   * reporting's own stream, which holds the declaration and confirmation, not on what assessment has read.
   */
  it('case 11 while assessment lags: declared and confirmed on the deadline day, read by assessment only after the deadline passed → kept', async () => {
    const lastDay = await recognise();
    const never = await recognise();
    const inbox = `messaging.${inboxTableName(`${environment.topicPrefix}.assessment.centers`)}`;
    const stall: PoolClient = await assessment.db.pool.connect();
    try {
      await stall.query('begin');
      await stall.query(`lock table ${inbox} in share mode`);
      at('2028-03-10');
      await declareStart(lastDay, '2028-03-10');
      await confirmStart(lastDay);
      // Assessment has not read the start: its consumer waits on the inbox (it lags).
      await eventually(async () => {
        const { rows } = await assessment.db.pool.query(
          `select 1 from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like 'insert into%inbox%'`,
        );
        expect(rows.length).toBeGreaterThan(0);
      }, consumerBudgetMs);
      expect((await standing(lastDay)).startedOn).toBeNull();
      at('2028-03-26');
      await fireOperatingDeadlines();
      expect(await obligations(lastDay)).toMatchObject({
        status: 'operating',
        operatingDeadlinePassed: null,
      });
      expect(await obligations(never)).toMatchObject({ operatingDeadlinePassed: { passedOn: '2028-03-26' } });
      expect((await standing(lastDay)).startedOn).toBeNull();
    } finally {
      await stall.query('commit');
      stall.release();
    }
    await eventually(async () =>
      expect(await standing(never)).toMatchObject({
        status: 'revoked',
        revocation: { ruleId: 'A17.3a', revokedOn: '2028-03-11' },
      }),
    );
    await eventually(async () =>
      expect(await standing(lastDay)).toMatchObject({
        status: 'operating',
        startedOn: '2028-03-10',
        revocation: null,
      }),
    );
  });

  it('names a year outside 2000–2100 in the assessment inputs with a 400', async () => {
    const centerId = await recognise();
    for (const year of ['-5', '99999999999999999999', '1999', '2101', 'abc'])
      expect(
        (
          await request(assessment.app.getHttpServer())
            .get(`/centers/${centerId}/assessments/${year}/inputs`)
            .set('authorization', `Bearer ${await bureau()}`)
            .expect(400)
        ).body,
      ).toMatchObject({ error: 'invalid_input', field: 'year', message: expect.stringContaining('A17.1') });
    await request(assessment.app.getHttpServer())
      .get(`/centers/${centerId}/assessments/2027/inputs`)
      .set('authorization', `Bearer ${await bureau()}`)
      .expect(200);
  });

  it('a revocation read before its recognition (another topic) opens the obligations ended: nothing falls due', async () => {
    const centerId = uuidv7();
    at('2026-03-10');
    await publishEvent(
      kafka,
      serviceTopic('assessment', environment.topicPrefix),
      'assessment.center-revoked',
      {
        centerId,
        revokedOn: '2026-03-10',
        ruleId: 'A16',
        reason: 'no-longer-eligible-after-major-change',
        explanation: { zh: '重大变化后不再符合认定条件', en: 'no longer eligible after a major change' },
        decision: decideOperatingDeadline({ recognizedOn: '2026-03-10', asOf: '2026-03-10' }, defaultPolicy),
      },
    );
    // Reporting has recorded it (the stream exists) before the recognition is even published.
    await eventually(async () => {
      const { rows } = await reporting.db.pool.query(
        `select type from event_store.events where stream_id = $1 order by stream_version`,
        [`reporting-center-${centerId}`],
      );
      expect(rows.map((r) => r.type)).toEqual(['reporting.obligations-ended']);
    }, consumerBudgetMs);
    await publishRecognition(centerId);
    await eventually(
      async () =>
        expect(await obligations(centerId)).toMatchObject({
          status: 'ended',
          recognizedOn: '2026-03-10',
          reports: [],
          ended: { endedOn: '2026-03-10', ruleId: 'A16' },
        }),
      consumerBudgetMs,
    );
    const { rows } = await reporting.db.pool.query(
      `select count(*)::int as n from reporting.report_deadlines where center_id = $1`,
      [centerId],
    );
    expect(rows[0].n).toBe(0);
    await request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/activities`)
      .set('authorization', `Bearer ${await operator(centerId)}`)
      .send({
        type: 'visit',
        heldOn: '2026-03-10',
        title: '参观',
        participants: 5,
        evidenceHash: 'd'.repeat(64),
      })
      .expect(409);
  });

  it('an operation start read before its recognition (another topic) is kept and applied when the recognition arrives', async () => {
    const centerId = uuidv7();
    at('2026-04-02');
    const decision = decideOperatingDeadline(
      { recognizedOn: '2026-03-10', operationStartedOn: '2026-04-01', asOf: '2026-04-02' },
      defaultPolicy,
    );
    await publishEvent(
      kafka,
      serviceTopic('reporting', environment.topicPrefix),
      'reporting.operation-started',
      {
        centerId,
        startedOn: '2026-04-01',
        declaredOn: '2026-04-01',
        confirmedOn: '2026-04-02',
        decision,
      },
    );
    // Assessment has read it (its inbox holds the id) before the recognition is even published.
    await eventually(async () => {
      expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(1);
    }, consumerBudgetMs);
    const parkedGauge = async () =>
      (await request(assessment.app.getHttpServer()).get('/metrics').expect(200)).text.match(
        /^parked_events\{schema="assessment"\} (\d+)$/m,
      )?.[1];
    expect(await parkedGauge()).toBe('1');
    await publishRecognition(centerId);
    await eventually(
      async () =>
        expect(await standing(centerId)).toMatchObject({ status: 'operating', startedOn: '2026-04-01' }),
      consumerBudgetMs,
    );
    expect(await parkedEvents.count(assessment.db.pool, centerId)).toBe(0);
    expect(await parkedGauge()).toBe('0');
  });

  async function majorChange(centerId: string, changes: string[], newFacts: Record<string, unknown>) {
    at('2027-04-03');
    return request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/major-changes`)
      .set('authorization', `Bearer ${await operator(centerId)}`)
      .send({ changes, description: '书面报告', effectiveOn: '2027-04-01', newFacts })
      .expect(201);
  }

  it('A16: a major change to 4800 m² revokes the center', async () => {
    const centerId = await recognise({ facts: FACTS });
    const res = await majorChange(centerId, ['area_changed'], { premises: { buildingAreaM2: '4800.00' } });
    expect(res.body.recorded[1].payload).toMatchObject({
      stillEligible: false,
      failed: ['A6.1:buildingArea'],
    });
    await eventually(async () =>
      expect(await standing(centerId)).toMatchObject({
        status: 'revoked',
        revocation: {
          ruleId: 'A16',
          reason: 'no-longer-eligible-after-major-change',
          revokedOn: '2027-04-03',
        },
      }),
    );
    await eventually(async () => expect(await obligations(centerId)).toMatchObject({ status: 'ended' }));
  });

  it('A16: a new operating entity that still qualifies keeps the recognition', async () => {
    const centerId = await recognise({ facts: FACTS });
    const res = await majorChange(centerId, ['operator_changed'], {
      operator: { name: '长春新运营有限公司', creditCode: '91220101MA14ABCD0Y' },
    });
    expect(res.body.recorded[1].payload).toMatchObject({ stillEligible: true });
    // The evaluation reaches assessment (an activity logged after it arrives after it on the same partition).
    at('2027-04-04');
    await request(reporting.app.getHttpServer())
      .post(`/centers/${centerId}/activities`)
      .set('authorization', `Bearer ${await operator(centerId)}`)
      .send({
        type: 'visit',
        heldOn: '2027-04-04',
        title: '参观',
        participants: 5,
        evidenceHash: 'c'.repeat(64),
      })
      .expect(201);
    await eventually(async () => {
      const res2 = await grade(centerId, 2026, '合格');
      expect(res2.status).toBe(201);
    });
    expect(await standing(centerId)).toMatchObject({ status: 'recognised', revocation: null });
  });

  /** Last: the later policy it publishes stays in force for the rest of the file. */
  it('a later policy (3-year deadline, 2 support years) moves neither A17.3a nor the support years of a center recognised before it', async () => {
    const never = await recognise();
    const lateStart = await recognise();
    const graded = await recognise();
    const later = {
      ...DEFAULT_POLICY,
      version: 'policy-2027.9-e2e',
      effectiveFrom: '2027-01-01',
      operatingDeadlineYears: 3,
      supportYears: 2,
    };
    const published = {
      id: uuidv7(),
      type: FinanceEventTypes.PolicyPublished,
      payload: {
        version: later.version,
        effectiveFrom: later.effectiveFrom,
        publishedOn: '2026-12-01',
        policy: later,
        reason: 'e2e',
      },
    } as unknown as EventEnvelope;
    for (const service of [reporting, assessment]) await service.app.get(PublishedPolicies).record(published);
    expect((await assessment.app.get(PublishedPolicies).inForceOn('2028-03-11')).version).toBe(later.version);

    await startOperation(graded, '2026-06-01');
    // After the stored deadline (2028-03-10), not the later policy's (2029-03-10): refused.
    at('2028-03-20');
    const refused = await request(reporting.app.getHttpServer())
      .post(`/centers/${lateStart}/operation-start`)
      .set('authorization', `Bearer ${await operator(lateStart)}`)
      .send({ startedOn: '2028-03-20' })
      .expect(422);
    expect(refused.body).toMatchObject({
      rule: 'A17.3',
      operatingDeadline: '2028-03-10',
      startDeclarationsCloseOn: '2028-03-25',
      policyVersion: defaultPolicy.version,
    });
    at('2028-03-26');
    await fireOperatingDeadlines();
    for (const centerId of [never, lateStart])
      await eventually(async () =>
        expect(await standing(centerId)).toMatchObject({
          status: 'revoked',
          revocation: { ruleId: 'A17.3a', revokedOn: '2028-03-11' },
        }),
      );
    const revoked = await request(assessment.app.getHttpServer())
      .get(`/centers/${never}/assessment`)
      .set('authorization', `Bearer ${await bureau()}`)
      .expect(200);
    expect(revoked.body).toMatchObject({
      operatingDeadline: '2028-03-10',
      policyVersion: defaultPolicy.version,
    });

    expect((await grade(graded, 2027, '合格')).status).toBe(201);
    const third = await grade(graded, 2028, '合格');
    expect(third.status).toBe(201);
    expect(third.body.recorded[0].payload).toMatchObject({
      supportYear: 3,
      activityCount: 0,
      activityCheck: { ruleId: 'A6.5', measured: 0, passed: false, policyVersion: later.version },
    });
  });
});
