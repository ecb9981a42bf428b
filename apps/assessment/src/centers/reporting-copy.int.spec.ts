import request from 'supertest';
import { ReportingEventTypes, serviceTopic, uuidv7, type EventEnvelope } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import { ManualClock, partitionOfKey } from '@nqpf/platform';
import {
  begin,
  eventually,
  publishEvent,
  publishRecognition,
  publishReportSchedule,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
  waitingForLock,
  type ServiceUnderTest,
} from '@nqpf/testing';
import { AssessmentModule } from '../assessment.module';
import { loadAssessmentConfig } from '../config';
import { ReportingCopy } from './reporting-copy';

jest.setTimeout(120_000);

/** An assessment records the year's activities for good: never from a copy still behind reporting's topic. */
describe("assessment's copy of reporting's events", () => {
  const environment = testEnvironment(uniqueName('reportingcopy'));
  const clock = new ManualClock(new Date('2026-03-10T09:00:00+08:00'));
  const kafka = createKafka('reporting-copy-test', testInfra().kafkaBrokers);
  let assessment: ServiceUnderTest;
  const http = () => request(assessment.app.getHttpServer());

  beforeAll(async () => {
    assessment = await startService('assessment', environment, (env) =>
      AssessmentModule.forRoot(loadAssessmentConfig(env), env, { clock }),
    );
    assessment.app.get(ReportingCopy).mark.waitMs = 1000;
  });
  afterAll(async () => assessment?.close());

  const activity = (
    centerId: string,
    yearCount: number,
    envelopeFields: Partial<EventEnvelope> = {},
    heldOn = '2026-06-01',
  ) =>
    publishEvent(
      kafka,
      serviceTopic('reporting', environment.topicPrefix),
      ReportingEventTypes.ActivityLogged,
      {
        centerId,
        activityId: uuidv7(),
        type: 'roadshow',
        heldOn,
        title: '路演',
        participants: 30,
        evidenceHash: 'a'.repeat(64),
        yearCount,
      },
      envelopeFields,
    );

  it("keeps the count of reporting's latest event: a withdrawal lowers it, an older event arriving late does not raise it", async () => {
    const centerId = uuidv7();
    const topic = serviceTopic('reporting', environment.topicPrefix);
    const at = { streamId: `obligations-${centerId}` };
    const count = async (year = 2026) =>
      (
        await assessment.db.pool.query(
          'select count from assessment.activity_counts where center_id = $1 and year = $2',
          [centerId, year],
        )
      ).rows[0]?.count;
    await activity(centerId, 5, { ...at, streamVersion: 9 });
    await eventually(async () => expect(await count()).toBe(5), 90_000);
    await publishEvent(
      kafka,
      topic,
      ReportingEventTypes.ActivityWithdrawn,
      {
        centerId,
        activityId: uuidv7(),
        heldOn: '2026-06-01',
        reason: '重复登记',
        withdrawnOn: '2026-06-02',
        yearCount: 4,
      },
      { ...at, streamVersion: 10 },
    );
    await eventually(async () => expect(await count()).toBe(4), 30_000);
    await activity(centerId, 5, { ...at, streamVersion: 9 });
    // Once a later event of the same partition is stored, the late one was read before it.
    await activity(centerId, 7, { ...at, streamVersion: 11 }, '2027-01-10');
    await eventually(async () => expect(await count(2027)).toBe(7), 30_000);
    expect(await count()).toBe(4);
  });

  /** A center whose reporting events go to another partition than `centerId`'s. */
  async function elsewhere(centerId: string): Promise<string> {
    const topic = serviceTopic('reporting', environment.topicPrefix);
    const admin = kafka.admin();
    await admin.connect();
    const partitions = (await admin.fetchTopicOffsets(topic)).length;
    await admin.disconnect();
    expect(partitions).toBeGreaterThan(1);
    for (;;) {
      const other = uuidv7();
      if (partitionOfKey(topic, other, partitions) !== partitionOfKey(topic, centerId, partitions))
        return other;
    }
  }

  it('answers 503 while the copy lags on the center, and records the count reporting had once it caught up', async () => {
    const bureau = await assessment.token({ role: 'city_bureau', sub: 'bureau-1' });
    const centerId = uuidv7();
    const as = { authorization: `Bearer ${bureau}` };
    await publishRecognition(kafka, environment.topicPrefix, centerId, '朝阳区');
    await activity(centerId, 99);
    const other = await elsewhere(centerId);
    await publishRecognition(kafka, environment.topicPrefix, other, '朝阳区');
    for (const id of [centerId, other])
      await publishReportSchedule(kafka, environment.topicPrefix, id, '2026-03-10', '2027-02-15');
    const pool = assessment.db.pool;
    await eventually(async () => {
      const { rows } = await pool.query(
        'select count from assessment.activity_counts where center_id = $1 and year = 2026',
        [centerId],
      );
      expect(rows[0]?.count).toBe(99);
    }, 90_000);

    // The 100th activity is published, but the copy cannot store it yet: its row is held.
    const holder = await begin(pool);
    try {
      await holder.query('select 1 from assessment.activity_counts where center_id = $1 for update', [
        centerId,
      ]);
      await activity(centerId, 100);
      await waitingForLock(pool, '%assessment.activity_counts%');
      clock.set('2027-02-15T10:00:00+08:00');
      const grade = { year: 2026, method: { kind: 'direct', grade: '良好', reason: '2026年度考核意见' } };
      const refused = await http().post(`/centers/${centerId}/assessments`).set(as).send(grade).expect(503);
      expect(refused.body).toMatchObject({ error: 'not_ready' });
      expect(refused.headers['retry-after']).toBe('1');
      // A center in another partition is not held by this one's lag.
      await eventually(
        () => http().post(`/centers/${other}/assessments`).set(as).send(grade).expect(201),
        30_000,
      );
      await holder.query('rollback');

      const graded = await eventually(
        () => http().post(`/centers/${centerId}/assessments`).set(as).send(grade).expect(201),
        30_000,
      );
      const completed = graded.body.recorded.find(
        (e: { type: string }) => e.type === 'assessment.assessment-completed',
      );
      expect(completed.payload.activityCheck).toMatchObject({ measured: 100, passed: true });

      // Lagging again, the year graded already is a 409 at once: no wait for inputs it will not use.
      await holder.query('begin');
      await holder.query('select 1 from assessment.activity_counts where center_id = $1 for update', [
        centerId,
      ]);
      await activity(centerId, 101);
      await waitingForLock(pool, '%assessment.activity_counts%');
      const again = await http().post(`/centers/${centerId}/assessments`).set(as).send(grade).expect(409);
      expect(again.body.message).toContain('assessment for 2026 completed (良好)');
      await holder.query('rollback');
    } finally {
      holder.release();
    }
  });
});
