import request from 'supertest';
import {
  IntakeEventTypes,
  ReviewEventTypes,
  serviceTopic,
  uuidv7,
  type EventEnvelope,
} from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { passesByItself } from '@nqpf/messaging';
import { ManualClock } from '@nqpf/platform';
import { createTestTopics, startService, ServiceUnderTest, testEnvironment, uniqueName } from '@nqpf/testing';
import { loadReviewConfig } from '../config';
import { PublicityDeadlineTimer } from '../deadlines/publicity-deadline.timer';
import { accepted, passingFacts } from '../domain/candidacy/candidacy.fixtures';
import { ReviewModule } from '../review.module';
import { ApplicationAcceptedConsumer } from './application-accepted.consumer';
import { openEligibleCandidacy } from './open-candidacy.spec-helper';
import { CandidaciesProjection } from './read-model/candidacies.projection';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * What a newer release may write to a candidacy's stream that this one cannot read: a new event type, or a
 * new schema version of a type it knows (a breaking change), which it must not read as the version it knows.
 */
const newerEvents = [
  {
    what: 'an event type of a newer release',
    event: { type: 'review.candidacy-noted', schemaVersion: 1, payload: { note: 'from a newer release' } },
    error: 'UnknownEventTypeError',
    unknown: 'the event type review.candidacy-noted',
  },
  {
    what: "a newer release's schema version of a known event type",
    // Read as version 1, it would assign an expert `undefined` to the candidacy.
    event: {
      type: ReviewEventTypes.ExpertAssigned,
      schemaVersion: 99,
      payload: { expert: { id: 'e-9' }, assignedAt: '2026-03-12T02:00:00.000Z' },
    },
    error: 'UnknownSchemaVersionError',
    unknown: 'schema version 99 of the event type review.expert-assigned',
  },
];

/**
 * A replica older than a candidacy (a rolling update, a rollback): its stream holds an event a newer
 * release wrote. Requests are refused as "another replica can serve it"; the timer and the consumers that
 * load it wait and retry, never marking the work done nor dead-lettering it.
 */
describe.each(newerEvents)('review meeting $what in a candidacy stream', ({ event, error, unknown }) => {
  const environment = testEnvironment(uniqueName('review-newtype'));
  const clock = new ManualClock(new Date('2026-03-12T10:00:00+08:00'));
  let review: ServiceUnderTest;
  let id: string;
  const http = () => request(review.app.getHttpServer());

  beforeAll(async () => {
    await createTestTopics([serviceTopic('intake', environment.topicPrefix)]);
    review = await startService('review', environment, (env) =>
      ReviewModule.forRoot(loadReviewConfig({ ...env, REVIEW_DEADLINE_INTERVAL_MS: '0' }), env, { clock }),
    );
    id = await openEligibleCandidacy(review.app);
    await review.app.get(PostgresEventStore).append(`candidacy-${id}`, [event], {
      actor: { id: 'review', role: 'system' },
      correlationId: uuidv7(),
      centerId: id,
    });
  });

  afterAll(async () => {
    await review?.close();
  });

  it('answers a read and a command on it 503 replica_older_than_object with Retry-After, recording nothing', async () => {
    const bureau = await review.token({ role: 'city_bureau', sub: 'bureau-1' });
    await http().post('/experts/e-1').set(as(bureau)).send({ name: '李四', specialties: [] }).expect(201);
    const answers = [
      await http().get(`/candidacies/${id}`).set(as(bureau)),
      await http().post(`/candidacies/${id}/experts`).set(as(bureau)).send({ expertId: 'e-1' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect(answer.body).toMatchObject({ error: 'replica_older_than_object', eventType: event.type });
      expect(answer.body.message).toContain(`does not know ${unknown} recorded on this object`);
    }
    const stored = await review.db.pool.query(
      `select count(*)::int as n from event_store.events where stream_id = $1`,
      [`candidacy-${id}`],
    );
    expect(stored.rows[0].n).toBe(3);
  });

  it('leaves its publicity deadline pending for the next tick: neither done nor counted as a failure', async () => {
    await review.db.pool.query(`insert into review.deadlines (candidacy_id, ends_at) values ($1, $2)`, [
      id,
      new Date(clock.now().getTime() - 86_400_000),
    ]);
    expect(await review.app.get(PublicityDeadlineTimer).tick()).toBe(0);
    const deadline = await review.db.pool.query(
      `select done_at from review.deadlines where candidacy_id = $1`,
      [id],
    );
    expect(deadline.rows).toEqual([{ done_at: null }]);
    const retries = await review.db.pool.query(
      `select attempts from deadline_retries.retries where deadline = $1`,
      [id],
    );
    expect(retries.rows).toEqual([]);
  });

  it("has intake's acceptance, redelivered, wait (passes by itself) rather than count towards a dead letter", async () => {
    const redelivered = {
      id: uuidv7(),
      type: IntakeEventTypes.ApplicationAccepted,
      schemaVersion: 1,
      correlationId: uuidv7(),
      payload: { ...accepted(passingFacts()), applicationId: id },
    } as unknown as EventEnvelope;
    const failure = await review.app
      .get(ApplicationAcceptedConsumer)
      .handle(redelivered)
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(failure?.name).toBe(error);
    expect(passesByItself(failure!)).toBe(true);
  });

  it('starts again with the stream in its list rows to catch up, leaving that row to a newer replica', async () => {
    await review.db.pool.query(`update review.candidacies set version = 0 where application_id = $1`, [id]);
    await expect(review.app.get(CandidaciesProjection).onApplicationBootstrap()).resolves.toBeUndefined();
  });
});
