import request from 'supertest';
import { uuidv7 } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import { ManualClock } from '@nqpf/platform';
import {
  eventually,
  publishRecognition,
  publishReportSchedule,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
  type ServiceUnderTest,
} from '@nqpf/testing';
import { AssessmentModule } from '../assessment.module';
import { loadAssessmentConfig } from '../config';

jest.setTimeout(120_000);

/** Each assessment runs in its request's one connection: a batch of them cannot starve the pool. */
describe('assessments with Idempotency-Key on a small pool', () => {
  const environment = testEnvironment(uniqueName('assesspool'));
  const clock = new ManualClock(new Date('2026-03-10T09:00:00+08:00'));
  const kafka = createKafka('assess-pool-test', testInfra().kafkaBrokers);
  let assessment: ServiceUnderTest;
  const POOL = 5;

  beforeAll(async () => {
    assessment = await startService('assessment', environment, (env) =>
      AssessmentModule.forRoot(loadAssessmentConfig({ ...env, DATABASE_POOL_MAX: String(POOL) }), env, {
        clock,
      }),
    );
  });
  afterAll(async () => assessment?.close());

  it('grades more centers at once than the pool has connections', async () => {
    const bureau = await assessment.token({ role: 'city_bureau', sub: 'bureau-1' });
    const centers = Array.from({ length: POOL + 2 }, () => uuidv7());
    for (const centerId of centers) {
      await publishRecognition(kafka, environment.topicPrefix, centerId, '朝阳区');
      await publishReportSchedule(kafka, environment.topicPrefix, centerId, '2026-03-10', '2027-02-15');
    }
    await eventually(async () => {
      for (const centerId of centers)
        await request(assessment.app.getHttpServer())
          .get(`/centers/${centerId}/assessment`)
          .set('authorization', `Bearer ${bureau}`)
          .expect(200);
    }, 90_000);

    clock.set('2027-02-15T10:00:00+08:00');
    const answers = await Promise.all(
      centers.map((centerId) =>
        request(assessment.app.getHttpServer())
          .post(`/centers/${centerId}/assessments`)
          .set('authorization', `Bearer ${bureau}`)
          .set('idempotency-key', uuidv7())
          .timeout(20_000)
          .send({ year: 2026, method: { kind: 'direct', grade: '良好', reason: '2026年度考核意见' } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(centers.map(() => 201));
  });
});
