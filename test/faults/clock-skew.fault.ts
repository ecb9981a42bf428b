import request from 'supertest';
import { createService } from '@nqpf/platform';
import { ServiceUnderTest, eventually, startService, testEnvironment, uniqueName } from '@nqpf/testing';
import { applicationFacts, requiredMaterials } from '@nqpf/testing';
import { uuidv7 } from '@nqpf/contracts';
import { shanghaiToday } from '@nqpf/rules';
import type { INestApplication } from '@nestjs/common';
import { loadIntakeConfig } from '../../apps/intake/src/config';
import { IntakeModule } from '../../apps/intake/src/intake.module';
import { ALL_SERVICES } from '../fuzz/services';
import { SkewedClock } from './support/skewed-clock';

/**
 * Clock skew between replicas, through the platform's Clock (faketime is not available): two intake
 * replicas on one database, one whose clock is past the next Shanghai midnight, one on time, and the
 * registry on time. What the system guarantees:
 * - a deadline is decided by the clock of the replica that handles the command (the call window here);
 * - occurredAt is that replica's clock, so it may run backwards within a stream; consumers order by stream
 *   version, never by time, and a fresh rebuild gives the same standing;
 * - recordedAt is the host's wall clock (the event store does not take the platform Clock).
 */
jest.setTimeout(120000);

const registryBuild = ALL_SERVICES.find((s) => s.name === 'registry')!.build;
const MIDNIGHT_MS = 24 * 3600 * 1000;
const SHANGHAI_MS = 8 * 3600 * 1000;
/** Into tomorrow in Shanghai by one hour: between 1 and 25 hours ahead. */
const skewMs = MIDNIGHT_MS - ((Date.now() + SHANGHAI_MS) % MIDNIGHT_MS) + 3600 * 1000;

let ahead: ServiceUnderTest;
let onTime: INestApplication;
let registry: ServiceUnderTest;

beforeAll(async () => {
  const environment = testEnvironment(uniqueName('faults_clock'));
  registry = await startService('registry', environment, registryBuild);
  ahead = await startService('intake', environment, (env) =>
    IntakeModule.forRoot(loadIntakeConfig(env), env, { clock: new SkewedClock(skewMs) }),
  );
  // A second replica on the same database, with the wall clock.
  const env = { ...environment.env, DATABASE_URL: ahead.db.url, PORT: '1' };
  onTime = await createService(
    { name: 'intake', description: 'intake', module: IntakeModule.forRoot(loadIntakeConfig(env), env) },
    env,
  );
  await onTime.init();
});

afterAll(async () => {
  await onTime?.close();
  await ahead?.close();
  await registry?.close();
});

it('with one intake replica hours ahead, deadlines follow the deciding replica and the standing follows stream versions', async () => {
  const today = shanghaiToday(new Date());
  const year = Number(today.slice(0, 4));
  const bureau = await ahead.token({ role: 'city_bureau' });
  const send = (app: INestApplication, token: string, method: 'post' | 'patch', path: string, body = {}) =>
    request(app.getHttpServer())[method](path).set('authorization', `Bearer ${token}`).send(body);

  // The call closes today (Shanghai): open by the wall clock, already closed by the ahead replica's.
  const call = await send(onTime, bureau, 'post', '/calls', {
    year,
    opensOn: `${year}-01-01`,
    closesOn: today,
  });
  expect(call.status).toBe(201);
  const draft = {
    callId: call.body.callId,
    district: '南关区',
    facts: applicationFacts(),
    materials: requiredMaterials(),
  };

  const centers = Array.from({ length: 5 }, () => uuidv7());
  const statuses: Record<string, number[]> = {};
  for (const centerId of centers) {
    const operator = await ahead.token({ role: 'operator', centerId });
    statuses[centerId] = [
      (await send(ahead.app, operator, 'post', '/applications', draft)).status, // refused: window closed
      (await send(onTime, operator, 'post', '/applications', draft)).status, // v1
      (await send(ahead.app, operator, 'patch', `/applications/${centerId}`, { district: '朝阳区' })).status, // v2
      (await send(onTime, operator, 'patch', `/applications/${centerId}`, { district: '宽城区' })).status, // v3
      (await send(ahead.app, operator, 'post', `/applications/${centerId}/submit`)).status, // refused
      (await send(onTime, operator, 'post', `/applications/${centerId}/submit`)).status, // v4
    ];
  }
  for (const centerId of centers) expect(statuses[centerId]).toEqual([422, 201, 200, 200, 422, 200]);

  // occurredAt from the deciding replica's clock: the stream goes forward by the skew and back again.
  const { rows: events } = await ahead.db.pool.query<{
    stream_id: string;
    v: number;
    occurred: Date;
    recorded: Date;
  }>(
    `select stream_id, stream_version as v, occurred_at as occurred, recorded_at as recorded
       from event_store.events where stream_id like 'application-%' order by stream_id, stream_version`,
  );
  expect(events).toHaveLength(centers.length * 4);
  let backwards = 0;
  for (let i = 0; i < events.length; i += 4) {
    const [v1, v2, v3, v4] = events.slice(i, i + 4);
    expect(v2!.occurred.getTime() - v1!.occurred.getTime()).toBeGreaterThanOrEqual(skewMs - 5000);
    expect(v3!.occurred.getTime()).toBeLessThan(v2!.occurred.getTime());
    if (v3!.occurred < v2!.occurred) backwards += 1;
    // recordedAt is the wall clock of the process for every replica: it never jumps by the skew.
    expect(v4!.recorded.getTime() - v1!.recorded.getTime()).toBeLessThan(skewMs / 2);
  }

  // The registry applies by stream version: the last amendment (v3, the earlier occurredAt) wins.
  await eventually(
    async () => {
      const { rows } = await registry.db.pool.query<{
        district: string;
        phase: string;
        submitted_on: string;
      }>('select district, phase, submitted_on from standing.standing where center_id = any($1)', [centers]);
      expect(rows).toEqual(
        centers.map(() => ({ district: '宽城区', phase: 'submitted', submitted_on: today })),
      );
    },
    60000,
    250,
  );
  const { rows: versions } = await registry.db.pool.query<{ version: number }>(
    'select version from standing._stream_versions where stream_id = any($1)',
    [centers.map((c) => `application-${c}`)],
  );
  expect(versions.map((v) => v.version)).toEqual(centers.map(() => 4));

  const rebuild = await request(registry.app.getHttpServer())
    .post('/admin/rebuild?readModel=standing&verifyOnly=true')
    .set('authorization', `Bearer ${bureau}`);
  expect(rebuild.status).toBe(200);
  expect(rebuild.body.results[0].matches).toBe(true);
  console.log(
    `clock skew: intake replica ${(skewMs / 3600000).toFixed(2)} h ahead; ${centers.length} centers, each: draft and submit refused (422) by the ahead replica, accepted by the on-time one; ${backwards}/${centers.length} streams with occurredAt going backwards (v2 → v3); standing by version (district of v3), rebuild matches`,
  );
});
