import request from 'supertest';
import { uuidv7 } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import {
  applicationFacts,
  requiredMaterials,
  ServiceUnderTest,
  startService,
  testEnvironment,
  uniqueName,
} from '@nqpf/testing';
import { shanghaiToday } from '@nqpf/rules';
import { loadIntakeConfig } from '../config';
import { IntakeModule } from '../intake.module';
import { ApplicationsProjection } from './read-model/applications.projection';

/**
 * A replica older than an object: during a rolling update (or after a rollback) this release meets, in an
 * application's own stream, an event type a newer release wrote. It refuses, as "another replica can serve
 * it", rather than folding the stream into an undefined state and answering 500.
 */
describe('intake meeting an event type of a newer release in its own stream', () => {
  const environment = testEnvironment(uniqueName('intake-newtype'));
  let intake: ServiceUnderTest;
  let http: ReturnType<typeof request>;
  let callId: string;

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env),
    );
    http = request(intake.app.getHttpServer());
    const bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const opened = await http
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    callId = opened.body.callId;
  });

  afterAll(async () => {
    await intake?.close();
  });

  it('answers every command and read of that application 503 replica_older_than_object, naming the type, with Retry-After', async () => {
    const id = uuidv7();
    const token = await intake.token({ role: 'operator', centerId: id, sub: `op-${id}` });
    const as = { authorization: `Bearer ${token}` };
    await http
      .post('/applications')
      .set(as)
      .send({ callId, district: '南关区', facts: applicationFacts(), materials: requiredMaterials() })
      .expect(201);
    await intake.app
      .get(PostgresEventStore)
      .append(
        `application-${id}`,
        [{ type: 'intake.application-noted', schemaVersion: 1, payload: { note: 'from a newer release' } }],
        { actor: { id: 'intake', role: 'system' }, correlationId: uuidv7(), centerId: id },
      );

    const answers = [
      await http.patch(`/applications/${id}`).set(as).send({ district: '朝阳区' }),
      await http.post(`/applications/${id}/submit`).set(as),
      await http.get(`/applications/${id}`).set(as),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('5');
      expect(answer.body).toMatchObject({
        statusCode: 503,
        error: 'replica_older_than_object',
        eventType: 'intake.application-noted',
      });
      expect(answer.body.message).toContain('intake.application-noted');
    }
    // Nothing was appended by the refused commands.
    const stored = await intake.db.pool.query(
      `select count(*)::int as n from event_store.events where stream_id = $1`,
      [`application-${id}`],
    );
    expect(stored.rows[0].n).toBe(2);
    // A start that finds the application's list row behind its stream leaves that row to a newer replica
    // instead of failing to start.
    await expect(intake.app.get(ApplicationsProjection).onApplicationBootstrap()).resolves.toBeUndefined();
  });
});
