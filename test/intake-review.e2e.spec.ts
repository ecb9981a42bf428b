import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { uuidv7 } from '@nqpf/contracts';
import { ManualClock } from '@nqpf/platform';
import { eventually, startService, ServiceUnderTest, testEnvironment, uniqueName } from '@nqpf/testing';
import { loadIntakeConfig } from '../apps/intake/src/config';
import { IntakeModule } from '../apps/intake/src/intake.module';
import { loadReviewConfig } from '../apps/review/src/config';
import { PublicityDeadlineTimer } from '../apps/review/src/deadlines/publicity-deadline.timer';
import { ReviewModule } from '../apps/review/src/review.module';

/**
 * The eligible application shipped with the rules (also the walkthrough's example), its activity year
 * moved to end before the test's submission day (2026-02-01): A6.5 counts the 12 months before it.
 */
const facts = {
  ...(JSON.parse(
    readFileSync(join(__dirname, '../libs/rules/examples/eligible-application.json'), 'utf8'),
  ) as Record<string, unknown>),
  activities: { count: 100, periodFrom: '2025-02-01', periodTo: '2026-01-31' },
};
const materials = ['application_form', 'construction_plan', 'co_construction_agreement'].map((kind) => ({
  kind,
  fileName: `${kind}.pdf`,
  mediaType: 'application/pdf',
  sizeBytes: 2048,
  sha256: 'd'.repeat(64),
}));

// Published Friday 2026-02-13; the five working days (A9.3) are the adjusted working Saturday 02-14 and
// 02-24..27 after the Spring Festival holiday (02-15..23), ending Friday 2026-02-27, 24:00 Asia/Shanghai.
const PUBLISHED_ON = '2026-02-13';
const LAST_DAY = '2026-02-27';
const ENDS_AT = '2026-02-28T00:00:00+08:00';
const shanghai = (local: string) => `${local}+08:00`;

/**
 * From application to recognition on real PostgreSQL and Kafka: intake accepts, review consumes the event,
 * reviews, lists, publishes, takes objections, ends publicity from its stored deadline (ManualClock), and
 * recognises the center when both parties have signed.
 */
describe('intake → Kafka → review: from application to recognition (A6, A9)', () => {
  const environment = testEnvironment(uniqueName('e2e-review'));
  const clock = new ManualClock(new Date(shanghai('2026-02-01T09:00:00')));
  let intake: ServiceUnderTest;
  let review: ServiceUnderTest;
  let callId: string;
  let bureau: string;
  let office: string;
  let expert: string;

  const intakeHttp = () => request(intake.app.getHttpServer());
  const reviewHttp = () => request(review.app.getHttpServer());
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const fireDeadlines = () => review.app.get(PublicityDeadlineTimer).tick();

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env, { clock }),
    );
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env, { clock }),
    );
    bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    office = await intake.token({ role: 'district_office', district: '南关区', sub: 'nanguan-1' });
    expert = await review.token({ role: 'expert', sub: 'expert-1' });
    // Intake and review share the ManualClock, so the call is dated like everything else.
    const opened = await intakeHttp()
      .post('/calls')
      .set(bearer(bureau))
      .send({ year: 2026, opensOn: '2026-01-05', closesOn: '2026-03-31' })
      .expect(201);
    callId = opened.body.callId;
    await reviewHttp()
      .post('/experts/expert-1')
      .set(bearer(bureau))
      .send({ name: '李四', specialties: ['技术转移'] })
      .expect(201);
  });

  afterAll(async () => {
    await review?.close();
    await intake?.close();
  });

  beforeEach(() => clock.set(shanghai('2026-02-01T09:00:00')));

  /** Drafted, submitted, endorsed and accepted on intake; eligible on review once the event arrives. */
  async function eligibleCandidacy(): Promise<string> {
    const id = uuidv7();
    const operator = await intake.token({ role: 'operator', centerId: id, sub: `op-${id}` });
    await intakeHttp()
      .post('/applications')
      .set(bearer(operator))
      .send({ callId, district: '南关区', facts, materials })
      .expect(201);
    await intakeHttp().post(`/applications/${id}/submit`).set(bearer(operator)).expect(200);
    await intakeHttp().post(`/applications/${id}/endorse`).set(bearer(office)).send({}).expect(200);
    await intakeHttp().post(`/applications/${id}/accept`).set(bearer(bureau)).expect(200);
    await eventually(async () => expect(await candidacy(id)).toMatchObject({ status: 'eligible' }));
    return id;
  }

  async function candidacy(id: string) {
    const res = await reviewHttp().get(`/candidacies/${id}`).set(bearer(bureau));
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Expert review and site inspection, listed, published on 2026-02-13. */
  async function inPublicity(): Promise<string> {
    const id = await eligibleCandidacy();
    const post = (path: string, token: string, body: object) =>
      reviewHttp().post(`/candidacies/${id}/${path}`).set(bearer(token)).send(body).expect(200);
    await post('experts', bureau, { expertId: 'expert-1' });
    await post('reviews', expert, { score: 88, opinion: '服务功能齐全' });
    await post('site-inspections', expert, {
      inspectedOn: '2026-02-01',
      satisfactory: true,
      finding: '一致',
    });
    await post('listing', bureau, { listId: 'list-2026-1', listed: true, reason: '评审和考察均通过' });
    clock.set(shanghai('2026-02-13T10:00:00'));
    const published = await post('publicity', bureau, { publishedOn: PUBLISHED_ON });
    expect(published.body).toMatchObject({ status: 'in-publicity' });
    return id;
  }

  const objection = (id: string) =>
    reviewHttp()
      .post(`/candidacies/${id}/objections`)
      .send({ objector: { name: '张三', contact: '13800000000' }, content: '近一年活动数量与实际不符' });

  async function events(id: string, type: string) {
    const { rows } = await review.db.pool.query(
      `select payload, actor from event_store.events where stream_id = $1 and type = $2`,
      [`candidacy-${id}`, type],
    );
    return rows;
  }

  it('(a) recognises the center on the second signature, dated the signing day', async () => {
    const id = await inPublicity();
    const accepted = await intakeHttp().get('/applications?status=accepted').set(bearer(office)).expect(200);
    expect(accepted.body.items.map((a: { applicationId: string }) => a.applicationId)).toContain(id);
    const shown = await reviewHttp().get('/publicity').expect(200);
    expect(shown.body.items).toContainEqual(
      expect.objectContaining({ applicationId: id, lastDay: LAST_DAY }),
    );
    clock.set(ENDS_AT);
    await fireDeadlines();
    expect(await candidacy(id)).toMatchObject({ status: 'publicity-ended' });
    const [ended] = await events(id, 'review.publicity-ended');
    expect(ended.actor).toMatchObject({ id: 'review-deadlines', role: 'system' });

    clock.set(shanghai('2026-03-02T10:00:00'));
    await reviewHttp()
      .post(`/candidacies/${id}/agreement`)
      .set(bearer(bureau))
      .send({ reason: '公示期满无异议，同意签订' })
      .expect(200);
    clock.set(shanghai('2026-03-03T09:30:00'));
    const signed = await reviewHttp()
      .post(`/candidacies/${id}/agreement`)
      .set(bearer(office))
      .send({ reason: '同意推荐，签订共建协议' })
      .expect(200);
    expect(signed.body).toMatchObject({ status: 'recognized' });
    const publicity = await reviewHttp().get('/publicity').expect(200);
    expect(publicity.body.items.map((c: { applicationId: string }) => c.applicationId)).not.toContain(id);
    const [recognized] = await events(id, 'review.center-recognized');
    expect(recognized.payload).toMatchObject({
      centerId: id,
      recognitionDate: '2026-03-03',
      district: '南关区',
      callId,
    });
  });

  it('(c) takes the application off the list when an objection is upheld; its deadline then ends nothing', async () => {
    const id = await inPublicity();
    clock.set(shanghai('2026-02-20T15:00:00'));
    const raised = await objection(id).expect(200);
    const objectionId = raised.body.objectionId;
    // The center's district office reads the objection's state, never the objector's name or contact (A9.4).
    const read = await reviewHttp().get(`/candidacies/${id}`).set(bearer(office)).expect(200);
    expect(read.body.objections).toEqual({ [objectionId]: 'raised' });
    expect(JSON.stringify(read.body)).not.toMatch(/张三|13800000000/);
    const bureauPost = (path: string, body: object) =>
      reviewHttp().post(`/candidacies/${id}/${path}`).set(bearer(bureau)).send(body).expect(200);
    await bureauPost(`objections/${objectionId}/investigation`, { note: '调取活动台账核查' });
    await bureauPost(`objections/${objectionId}/ruling`, { upheld: true, reason: '活动台账与申报不符' });
    expect(await candidacy(id)).toMatchObject({
      status: 'rejected',
      rejection: { stage: 'objection', ruleIds: ['A9.4'] },
    });

    clock.set(ENDS_AT);
    await fireDeadlines();
    expect(await events(id, 'review.publicity-ended')).toHaveLength(0);
    const deadline = await review.db.pool.query(
      `select done_at from review.deadlines where candidacy_id = $1`,
      [id],
    );
    expect(deadline.rows[0].done_at).not.toBeNull();
  });

  it('(e) ends a publicity spanning the Spring Festival at 2026-02-27 24:00 Asia/Shanghai, not before', async () => {
    const id = await inPublicity();
    const [started] = await events(id, 'review.publicity-started');
    expect(started.payload).toMatchObject({ lastDay: LAST_DAY, endsAt: ENDS_AT });

    clock.set(shanghai('2026-02-27T23:59:59.999'));
    await fireDeadlines();
    expect(await candidacy(id)).toMatchObject({ status: 'in-publicity' });
    expect(await events(id, 'review.publicity-ended')).toHaveLength(0);

    clock.set(shanghai('2026-02-28T00:00:00'));
    await fireDeadlines();
    expect(await candidacy(id)).toMatchObject({ status: 'publicity-ended' });
    const [ended] = await events(id, 'review.publicity-ended');
    expect(ended.payload).toMatchObject({ lastDay: LAST_DAY, endedAt: '2026-02-27T16:00:00.000Z' });
    await fireDeadlines();
    expect(await events(id, 'review.publicity-ended')).toHaveLength(1);
  });

  it('(f) takes an objection one second before the end and refuses one a second after it, naming A9.4', async () => {
    const id = await inPublicity();
    clock.set(shanghai('2026-02-27T23:59:59'));
    await objection(id).expect(200);
    clock.set(shanghai('2026-02-28T00:00:01'));
    const late = await objection(id).expect(422);
    expect(late.body).toMatchObject({ rule: 'A9.4', lastDay: LAST_DAY });
    expect(await events(id, 'review.objection-raised')).toHaveLength(1);
  });
});
