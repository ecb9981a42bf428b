import request from 'supertest';
import { FinanceEventTypes, IntakeEventTypes, serviceTopic, uuidv7 } from '@nqpf/contracts';
import { KAFKA, ManualClock, PublishedPolicies } from '@nqpf/platform';
import { DEFAULT_POLICY, shanghaiToday } from '@nqpf/rules';
import {
  applicationFacts,
  eventually,
  foreignEvent,
  publishEvent,
  requiredMaterials,
  ServiceUnderTest,
  startService,
  testEnvironment,
  uniqueName,
  writeTempJson,
} from '@nqpf/testing';
import { loadIntakeConfig } from '../../../intake/src/config';
import { IntakeModule } from '../../../intake/src/intake.module';
import { TEST_CALENDAR_2027 } from '../../../../libs/rules/src/calendar/cn-2027.fixture';
import { loadReviewConfig } from '../config';
import { PublicityDeadlineTimer } from '../deadlines/publicity-deadline.timer';
import { restorePublicityDeadlines } from '../deadlines/publicity-deadlines.store';
import { ReviewModule } from '../review.module';
import { accepted, passingFacts } from '../domain/candidacy/candidacy.fixtures';
import { ApplicationAcceptedConsumer } from './application-accepted.consumer';

const facts = applicationFacts;
const materials = requiredMaterials('c'.repeat(64));

describe('review consumes accepted applications from intake over Kafka (A6, A9)', () => {
  const environment = testEnvironment(uniqueName('review'));
  // Intake and review share it: each test sets the day it acts on, never a date in the past (A9.3).
  const clock = new ManualClock(new Date('2026-01-26T09:00:00+08:00'));
  let intake: ServiceUnderTest;
  let review: ServiceUnderTest;
  let bureau: string;
  let district: string;
  let callId: string;

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env, { clock }),
    );
    review = await startService('review', environment, (env) =>
      // The test fires stored deadlines itself (tick), so the wall clock cannot end publicity mid-test.
      ReviewModule.forRoot(
        loadReviewConfig({
          ...env,
          REVIEW_DEADLINE_INTERVAL_MS: '0',
          // A year published after the release, given by the operator (test data, not the real 2027).
          NQPF_CALENDAR_YEARS: writeTempJson('cn-2027.json', TEST_CALENDAR_2027),
        }),
        env,
        { clock },
      ),
    );
    bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    district = await intake.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    const opened = await request(intake.app.getHttpServer())
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year: 2026, opensOn: '2026-01-01', closesOn: '2026-12-31' })
      .expect(201);
    callId = opened.body.callId;
  });

  afterAll(async () => {
    await review?.close();
    await intake?.close();
  });

  async function acceptedApplication(area: string): Promise<string> {
    const id = uuidv7();
    const op = await intake.token({ role: 'operator', centerId: id, sub: `op-${id}` });
    const http = () => request(intake.app.getHttpServer());
    await http()
      .post('/applications')
      .set('authorization', `Bearer ${op}`)
      .send({ callId, district: '南关区', facts: facts(area, shanghaiToday(clock.now())), materials })
      .expect(201);
    await http().post(`/applications/${id}/submit`).set('authorization', `Bearer ${op}`).expect(200);
    await http()
      .post(`/applications/${id}/endorse`)
      .set('authorization', `Bearer ${district}`)
      .send({})
      .expect(200);
    await http().post(`/applications/${id}/accept`).set('authorization', `Bearer ${bureau}`).expect(200);
    return id;
  }

  const candidacy = (id: string) =>
    eventually(async () => {
      const res = await request(review.app.getHttpServer())
        .get(`/candidacies/${id}`)
        .set('authorization', `Bearer ${bureau}`);
      expect(res.status).toBe(200);
      return res.body;
    });

  it('rejects an ineligible application with its failing reasons, visible to the district office', async () => {
    clock.set('2026-01-26T09:00:00+08:00');
    const id = await acceptedApplication('4999.99');
    const body = await candidacy(id);
    expect(body).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'eligibility', ruleIds: ['A6.1'] },
    });
    expect(body.rejection.reasons[0]).toContain('4999.99');
    const office = await review.token({ role: 'district_office', district: '南关区' });
    await request(review.app.getHttpServer())
      .get(`/candidacies/${id}`)
      .set('authorization', `Bearer ${office}`)
      .expect(200);
  });

  it('reviews, lists and publishes an eligible application; refuses a conflicted expert, a backdated publicity and a late objection; the stored deadline ends publicity', async () => {
    clock.set('2026-01-26T09:00:00+08:00');
    const id = await acceptedApplication('5000.00');
    expect(await candidacy(id)).toMatchObject({ status: 'eligible', phase: 'eligible' });
    const http = () => request(review.app.getHttpServer());
    const as = (t: string) => ({ authorization: `Bearer ${t}` });
    const rb = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    await http()
      .post('/experts/e-1')
      .set(as(rb))
      .send({ name: '李四', specialties: ['技术转移'] })
      .expect(201);
    await http().post('/experts/e-2').set(as(rb)).send({ name: '王五', specialties: [] }).expect(201);
    const e2 = await review.token({ role: 'expert', sub: 'e-2' });
    await http()
      .post('/experts/e-2/conflicts')
      .set(as(e2))
      .send({ institution: { name: 'institution 3' }, reason: '兼职' })
      .expect(200);
    const refused = await http()
      .post(`/candidacies/${id}/experts`)
      .set(as(rb))
      .send({ expertId: 'e-2' })
      .expect(422);
    expect(refused.body.rule).toBe('A9.1');

    await http().post(`/candidacies/${id}/experts`).set(as(rb)).send({ expertId: 'e-1' }).expect(200);
    const e1 = await review.token({ role: 'expert', sub: 'e-1' });
    await http().post(`/candidacies/${id}/reviews`).set(as(e2)).send({ score: 90, opinion: 'x' }).expect(404);
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(e1))
      .send({ score: 90, opinion: '良好' })
      .expect(200);
    await http()
      .post(`/candidacies/${id}/site-inspections`)
      .set(as(e1))
      .send({ inspectedOn: '2026-01-26', satisfactory: true, finding: '一致' })
      .expect(200);
    // A second expert's review: each expert reads their own, the bureau both (A9.1: independent reviews).
    await http().post('/experts/e-3').set(as(rb)).send({ name: '赵六', specialties: [] }).expect(201);
    await http().post(`/candidacies/${id}/experts`).set(as(rb)).send({ expertId: 'e-3' }).expect(200);
    const e3 = await review.token({ role: 'expert', sub: 'e-3' });
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(e3))
      .send({ score: 70, opinion: '一般' })
      .expect(200);
    const seenBy = async (token: string) =>
      (await http().get(`/candidacies/${id}`).set(as(token)).expect(200)).body.reviews;
    // Each reads back what they wrote; the bureau reads every opinion the list is decided on (A9.2).
    expect(await seenBy(e1)).toEqual([{ expertId: 'e-1', score: 90, opinion: '良好' }]);
    expect(await seenBy(e3)).toEqual([{ expertId: 'e-3', score: 70, opinion: '一般' }]);
    expect((await seenBy(rb)).map((r: { opinion: string }) => r.opinion)).toEqual(['良好', '一般']);
    // The center reads that reviews were made and their scores, not who wrote what (A9.1).
    const operatorToken = await review.token({ role: 'operator', centerId: id });
    expect(await seenBy(operatorToken)).toEqual([
      { expertId: '(withheld)', score: 90, opinion: '(withheld)' },
      { expertId: '(withheld)', score: 70, opinion: '(withheld)' },
    ]);
    // Likewise each site inspection's verdict, not its finding (docs/audit.md).
    const operatorView = (await http().get(`/candidacies/${id}`).set(as(operatorToken)).expect(200)).body;
    expect(operatorView.inspections).toEqual([
      { expertId: '(withheld)', inspectedOn: '2026-01-26', satisfactory: true, finding: '(withheld)' },
    ]);
    // The expert reviews what was accepted: each material's name, type, size and SHA-256.
    const forExpert = (await http().get(`/candidacies/${id}`).set(as(e1)).expect(200)).body;
    expect(forExpert.materials).toEqual(materials);
    // The operating entity, not which of its staff filed it (minimum necessary); the center reads its own.
    expect(forExpert.facts.operator).toMatchObject({ name: expect.any(String) });
    expect(forExpert).not.toHaveProperty('operatorAccountId');
    expect(operatorView.operatorAccountId).toBe(`op-${id}`);
    await http()
      .post(`/candidacies/${id}/listing`)
      .set(as(rb))
      .send({ listId: 'l-1', listed: true, reason: '通过' })
      .expect(200);
    const listed = await candidacy(id);
    // Friday 2026-01-30: the day the bureau publishes the list.
    clock.set('2026-01-30T10:00:00+08:00');
    const impossible = await http()
      .post(`/candidacies/${id}/publicity`)
      .set(as(rb))
      .send({ publishedOn: '2026-02-30' })
      .expect(400);
    expect(impossible.body).toMatchObject({ field: 'publishedOn' });
    expect(impossible.body.message).toContain('A9.3');
    // A publicity ending in a year nobody loaded holiday data for is refused as such, recording nothing.
    // Its period is counted under the policy in force on its publication day, not today's.
    const policyDays = jest.spyOn(review.app.get(PublishedPolicies), 'inForceOn');
    const uncovered = await http()
      .post(`/candidacies/${id}/publicity`)
      .set(as(rb))
      .send({ publishedOn: '2027-12-27' })
      .expect(503);
    expect(policyDays.mock.calls.map(([date]) => date)).toEqual(['2027-12-27']);
    policyDays.mockRestore();
    expect(uncovered.body).toMatchObject({
      error: 'calendar_year_not_covered',
      year: 2028,
      coveredYears: [2025, 2026, 2027],
    });
    expect(await candidacy(id)).toMatchObject({ status: 'listed' });
    // A9.3: a publicity dated before today would count working days nobody could object in. Refused
    // before the calendar is asked, so a past year without holiday data is a backdating too, not a 503.
    for (const publishedOn of ['2026-01-29', '2024-12-30']) {
      const backdated = await http()
        .post(`/candidacies/${id}/publicity`)
        .set(as(rb))
        .send({ publishedOn })
        .expect(422);
      expect(backdated.body).toMatchObject({
        rule: 'A9.3',
        field: 'publishedOn',
        publishedOn,
        today: '2026-01-30',
      });
    }
    expect(await candidacy(id)).toEqual(listed);
    const metrics = await http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^nqpf_calendar_last_covered_year 2027$/m);

    const published = await http()
      .post(`/candidacies/${id}/publicity`)
      .set(as(rb))
      .send({ publishedOn: '2026-01-30' })
      .expect(200);
    expect(published.body).toMatchObject({ status: 'in-publicity' });

    // One second after 2026-02-06 24:00, before the timer fired.
    clock.set('2026-02-07T00:00:01+08:00');
    const late = await http()
      .post(`/candidacies/${id}/objections`)
      .send({ objector: { name: '张三', contact: '13800000000' }, content: '不实' })
      .expect(422);
    expect(late.body).toMatchObject({ rule: 'A9.4', lastDay: '2026-02-06' });
    const signing = await http()
      .post(`/candidacies/${id}/agreement`)
      .set(as(rb))
      .send({ reason: '公示期满无异议' })
      .expect(409);
    expect(signing.body).toMatchObject({
      currentState: 'candidacy in-publicity',
      attemptedAction: 'sign agreement',
    });

    const stored = await review.db.pool.query(
      `select type, payload from event_store.events where stream_id = $1 and type = 'review.publicity-started'`,
      [`candidacy-${id}`],
    );
    expect(stored.rows[0].payload).toMatchObject({ lastDay: '2026-02-06', calendarVersion: 'cn-2026.1' });
    const deadline = await review.db.pool.query(
      `select ends_at, done_at from review.deadlines where candidacy_id = $1`,
      [id],
    );
    expect(deadline.rows[0].ends_at.toISOString()).toBe(
      new Date(stored.rows[0].payload.endsAt).toISOString(),
    );
    expect(deadline.rows[0].done_at).toBeNull();
    // A store refilled after a database restore has the event without its row: restored at start.
    await review.db.pool.query('delete from review.deadlines where candidacy_id = $1', [id]);
    expect(
      await restorePublicityDeadlines(review.db.pool, 'event_store', () => undefined),
    ).toBeGreaterThanOrEqual(1);
    expect(
      (await review.db.pool.query(`select ends_at from review.deadlines where candidacy_id = $1`, [id])).rows,
    ).toEqual([{ ends_at: deadline.rows[0].ends_at }]);
    expect(await review.app.get(PublicityDeadlineTimer).tick()).toBeGreaterThanOrEqual(1);
    expect(await candidacy(id)).toMatchObject({ status: 'publicity-ended' });
    const unexplained = await http().post(`/candidacies/${id}/agreement`).set(as(rb)).send({}).expect(400);
    expect(unexplained.body.message).toContain('reason');
    // The first signature recognises nothing and asks no policy; the second records the version in force
    // on the recognition date, the later signing day. As it is: here a name longer than finance publishes
    // now (a version published before names were bounded may be in force), never a 400 to the office.
    const policies = review.app.get(PublishedPolicies);
    const inForceOnReally = policies.inForceOn.bind(policies);
    const olderName = `policy-2026.${'长'.repeat(120)}`;
    const inForceOn = jest
      .spyOn(policies, 'inForceOn')
      .mockImplementation(async (date, db) => ({ ...(await inForceOnReally(date, db)), version: olderName }));
    try {
      await http()
        .post(`/candidacies/${id}/agreement`)
        .set(as(rb))
        .send({ reason: '公示期满无异议' })
        .expect(200);
      expect(inForceOn).not.toHaveBeenCalled();
      clock.set('2026-02-09T10:00:00+08:00');
      const office = await review.token({ role: 'district_office', district: '南关区' });
      const recognised = await http()
        .post(`/candidacies/${id}/agreement`)
        .set(as(office))
        .send({ reason: '同意签订' })
        .expect(200);
      expect(recognised.body).toMatchObject({ status: 'recognized' });
      expect(inForceOn.mock.calls.map(([date]) => date)).toEqual(['2026-02-09']);
      const recognition = await review.db.pool.query(
        `select payload from event_store.events where stream_id = $1 and type = 'review.center-recognized'`,
        [`candidacy-${id}`],
      );
      expect(recognition.rows[0].payload).toMatchObject({
        recognitionDate: '2026-02-09',
        policyVersion: olderName,
      });
    } finally {
      inForceOn.mockRestore();
    }
  });

  it('lets an expert correct their own review and site inspection, with a reason, until the listing (A9.1)', async () => {
    clock.set('2026-01-26T09:00:00+08:00');
    const id = await acceptedApplication('5000.00');
    expect(await candidacy(id)).toMatchObject({ status: 'eligible' });
    const http = () => request(review.app.getHttpServer());
    const as = (t: string) => ({ authorization: `Bearer ${t}` });
    const rb = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    for (const expertId of ['e-11', 'e-12', 'e-13']) {
      await http()
        .post(`/experts/${expertId}`)
        .set(as(rb))
        .send({ name: expertId, specialties: [] })
        .expect(201);
    }
    for (const expertId of ['e-11', 'e-12']) {
      await http().post(`/candidacies/${id}/experts`).set(as(rb)).send({ expertId }).expect(200);
    }
    const [e11, e12, e13] = await Promise.all(
      ['e-11', 'e-12', 'e-13'].map((sub) => review.token({ role: 'expert', sub })),
    );
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(e11))
      .send({ score: 60, opinion: '经纪人结构不达标' })
      .expect(200);
    await http()
      .post(`/candidacies/${id}/site-inspections`)
      .set(as(e11))
      .send({ inspectedOn: '2026-01-26', satisfactory: false, finding: '展示区未运行' })
      .expect(200);

    const revision = { score: 85, opinion: '经纪人结构达标', reason: '漏看中级经纪人证书，更正评分' };
    // Nobody else corrects it: an expert not assigned (404, as an unknown candidacy), the bureau, the center
    // (403, their role); an assigned expert without a review of their own has nothing to correct (409), and
    // never reaches another's.
    await http().post(`/candidacies/${id}/reviews/revision`).set(as(e13)).send(revision).expect(404);
    await http().post(`/candidacies/${id}/reviews/revision`).set(as(rb)).send(revision).expect(403);
    const operatorToken = await review.token({ role: 'operator', centerId: id });
    await http()
      .post(`/candidacies/${id}/reviews/revision`)
      .set(as(operatorToken))
      .send(revision)
      .expect(403);
    const none = await http()
      .post(`/candidacies/${id}/reviews/revision`)
      .set(as(e12))
      .send(revision)
      .expect(409);
    expect(none.body).toMatchObject({
      currentState: 'no review by e-12 recorded',
      attemptedAction: 'revise review',
    });
    // A correction says why, and changes something.
    const unexplained = await http()
      .post(`/candidacies/${id}/reviews/revision`)
      .set(as(e11))
      .send({ score: 85, opinion: '经纪人结构达标' })
      .expect(400);
    expect(unexplained.body.message).toContain('reason');
    await http()
      .post(`/candidacies/${id}/reviews/revision`)
      .set(as(e11))
      .send({ score: 60, opinion: '经纪人结构不达标', reason: '再次提交' })
      .expect(409);

    await http().post(`/candidacies/${id}/reviews/revision`).set(as(e11)).send(revision).expect(200);
    const inspected = {
      inspectedOn: '2026-01-26',
      satisfactory: true,
      finding: '展示区运行正常',
      reason: '误记',
    };
    const ahead = await http()
      .post(`/candidacies/${id}/site-inspections/revision`)
      .set(as(e11))
      .send({ ...inspected, inspectedOn: '2026-01-27' })
      .expect(400);
    expect(ahead.body).toMatchObject({ field: 'inspectedOn' });
    await http()
      .post(`/candidacies/${id}/site-inspections/revision`)
      .set(as(e13))
      .send(inspected)
      .expect(404);
    await http()
      .post(`/candidacies/${id}/site-inspections/revision`)
      .set(as(e11))
      .send(inspected)
      .expect(200);

    // The author reads the corrected review and inspection; the other expert reads neither.
    const seenBy = async (token: string) =>
      (await http().get(`/candidacies/${id}`).set(as(token)).expect(200)).body;
    const byAuthor = await seenBy(e11);
    expect(byAuthor.reviews).toEqual([{ expertId: 'e-11', score: 85, opinion: '经纪人结构达标' }]);
    expect(byAuthor.inspections).toEqual([
      { expertId: 'e-11', inspectedOn: '2026-01-26', satisfactory: true, finding: '展示区运行正常' },
    ]);
    expect((await seenBy(e12)).reviews).toEqual([]);
    expect((await seenBy(rb)).reviews).toEqual([{ expertId: 'e-11', score: 85, opinion: '经纪人结构达标' }]);
    const stored = await review.db.pool.query(
      `select payload, actor->>'id' as actor_id from event_store.events where stream_id = $1 and type = 'review.expert-review-revised'`,
      [`candidacy-${id}`],
    );
    expect(stored.rows).toEqual([
      {
        actor_id: 'e-11',
        payload: {
          applicationId: id,
          expertId: 'e-11',
          score: 85,
          opinion: '经纪人结构达标',
          reason: '漏看中级经纪人证书，更正评分',
          revisedAt: clock.now().toISOString(),
          previousScore: 60,
        },
      },
    ]);

    // Once the bureau has decided the list on them, they stand.
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(e12))
      .send({ score: 80, opinion: '良好' })
      .expect(200);
    await http()
      .post(`/candidacies/${id}/listing`)
      .set(as(rb))
      .send({ listId: 'l-2', listed: true, reason: '通过' })
      .expect(200);
    const late = await http()
      .post(`/candidacies/${id}/reviews/revision`)
      .set(as(e11))
      .send({ ...revision, score: 90 })
      .expect(409);
    expect(late.body).toMatchObject({ currentState: 'candidacy listed', attemptedAction: 'revise review' });
  });

  it('decides eligibility by a policy version the bureau published in finance, and records that version', async () => {
    // Runs last: from here on the stricter version is in force for this service.
    const stricter = {
      ...DEFAULT_POLICY,
      version: 'policy-2026.2',
      effectiveFrom: '2026-06-01',
      minAreaM2: '6000.00',
    };
    await publishEvent(
      review.app.get(KAFKA),
      serviceTopic('finance', environment.topicPrefix),
      FinanceEventTypes.PolicyPublished,
      {
        version: stricter.version,
        effectiveFrom: stricter.effectiveFrom,
        publishedOn: '2026-05-20',
        policy: stricter,
        reason: 'larger premises from June',
      },
    );
    clock.set('2026-06-02T09:00:00+08:00');
    const policies = review.app.get(PublishedPolicies);
    await eventually(async () =>
      expect((await policies.inForceOn('2026-06-01')).version).toBe('policy-2026.2'),
    );
    expect((await policies.inForceOn('2026-05-31')).version).toBe('policy-2026.1');
    // By name, as decisions recorded under a version are taken again under it, whatever is in force.
    expect((await policies.version('policy-2026.1')).version).toBe('policy-2026.1');
    expect((await policies.version('policy-2026.2')).effectiveFrom).toBe('2026-06-01');
    await expect(policies.version('policy-2031.1')).rejects.toThrow("no policy with version 'policy-2031.1'");

    const id = await acceptedApplication('5500.00');
    const body = await candidacy(id);
    expect(body).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'eligibility', ruleIds: ['A6.1'] },
    });
    const decided = await review.db.pool.query(
      `select payload from event_store.events where stream_id = $1 and type = 'review.eligibility-decided'`,
      [`candidacy-${id}`],
    );
    expect(decided.rows[0].payload.decision.policyVersion).toBe('policy-2026.2');

    // Accepted on 05-31, read by review only on 06-02 (its consumer lagged): judged under 2026.1.
    const lagged = uuidv7();
    const acceptance = foreignEvent(IntakeEventTypes.ApplicationAccepted, lagged, {
      ...accepted({ ...passingFacts(), premises: { buildingAreaM2: '5500.00' } }),
      applicationId: lagged,
      acceptedAt: '2026-05-31T16:00:00+08:00',
    });
    await review.app.get(ApplicationAcceptedConsumer).handle(acceptance);
    expect(await candidacy(lagged)).toMatchObject({ status: 'eligible' });
    const laggedDecision = await review.db.pool.query(
      `select payload from event_store.events where stream_id = $1 and type = 'review.eligibility-decided'`,
      [`candidacy-${lagged}`],
    );
    expect(laggedDecision.rows[0].payload.decision.policyVersion).toBe('policy-2026.1');
  });
});
