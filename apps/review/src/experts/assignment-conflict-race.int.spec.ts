import request from 'supertest';
import { serviceTopic } from '@nqpf/contracts';
import { ManualClock } from '@nqpf/platform';
import {
  createTestTopics,
  startService,
  ServiceUnderTest,
  testEnvironment,
  uniqueName,
  waitingForLock,
} from '@nqpf/testing';
import { openEligibleCandidacy } from '../candidacies/open-candidacy.spec-helper';
import { loadReviewConfig } from '../config';
import { OPERATOR } from '../domain/candidacy/candidacy.fixtures';
import { ReviewModule } from '../review.module';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A9.1 across two streams: the bureau assigns an expert (candidacy-…) while the expert declares a conflict
 * with the application's operator (expert-…). Stream versions cannot order the two; the expert lock must.
 */
describe('assigning an expert while they declare a conflict (A9.1)', () => {
  const environment = testEnvironment(uniqueName('review-race'));
  const clock = new ManualClock(new Date('2026-03-12T10:00:00+08:00'));
  let review: ServiceUnderTest;
  const http = () => request(review.app.getHttpServer());

  beforeAll(async () => {
    await createTestTopics([serviceTopic('intake', environment.topicPrefix)]);
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env, { clock }),
    );
  });

  afterAll(async () => {
    await review?.close();
  });

  const waitingOn = (pattern: string) => waitingForLock(review.db.pool, pattern);

  it('never leaves the expert assigned and unmarked: they neither list nor read the application', async () => {
    const id = await openEligibleCandidacy(review.app);
    const bureau = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    const expert = await review.token({ role: 'expert', sub: 'racer' });
    await http().post('/experts/racer').set(as(bureau)).send({ name: '李四', specialties: [] }).expect(201);

    // Holds the candidacy's list row, so the assignment stops after deciding, just before its row write.
    const blocker = await review.db.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query('select 1 from review.candidacies where application_id = $1 for update', [id]);
      const assigning = http()
        .post(`/candidacies/${id}/experts`)
        .set(as(bureau))
        .send({ expertId: 'racer' })
        .then((res) => res);
      await waitingOn('insert into review.candidacies%');
      const declaring = http()
        .post('/experts/racer/conflicts')
        .set(as(expert))
        .send({ institution: OPERATOR, reason: '近三年在该运营单位任职' })
        .then((res) => res);
      // Unordered, the declaration commits now, missing the uncommitted assignment; ordered, it waits.
      await Promise.race([declaring, waitingOn('%pg_advisory_xact_lock%')]);
      await blocker.query('commit');
      const [assigned, declared] = await Promise.all([assigning, declaring]);
      expect([assigned.status, declared.status]).toEqual([200, 200]);
    } finally {
      blocker.release();
    }

    const { rows } = await review.db.pool.query(
      `select experts, conflicted_experts from review.candidacies where application_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ experts: ['racer'], conflicted_experts: ['racer'] }]);
    expect((await http().get('/experts/me/assignments').set(as(expert)).expect(200)).body.total).toBe(0);
    await http().get(`/candidacies/${id}`).set(as(expert)).expect(404);
    await http()
      .post(`/candidacies/${id}/reviews`)
      .set(as(expert))
      .send({ score: 90, opinion: '良好' })
      .expect(404);
  });
});
