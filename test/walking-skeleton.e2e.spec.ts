import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { PostgresEventStore, SealKeys } from '@nqpf/event-store';
import { loadIntakeConfig } from '../apps/intake/src/config';
import { IntakeModule } from '../apps/intake/src/intake.module';
import { loadRegistryConfig } from '../apps/registry/src/config';
import { RegistryModule } from '../apps/registry/src/registry.module';
import { shanghaiToday } from '@nqpf/rules';
import {
  eventually,
  startService,
  ServiceUnderTest,
  testEnvironment,
  uniqueName,
  writeTempFile,
} from '@nqpf/testing';

/**
 * The pipes, end to end on real PostgreSQL and Kafka: an HTTP command on intake appends an event, the
 * outbox relay publishes it, the registry's consumer applies it, and the registry's read API shows it.
 */
describe('walking skeleton: intake → Kafka → registry', () => {
  const environment = testEnvironment(uniqueName('skeleton'));
  // Intake seals its appends, as in a deployment (docs/audit.md, "Seals").
  const sealKey = generateKeyPairSync('ed25519');
  const sealed = {
    ...environment,
    env: {
      ...environment.env,
      NQPF_EVENT_SEAL_KEY_FILE: writeTempFile(
        'intake-seal.pem',
        sealKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      ),
    },
  };
  let intake: ServiceUnderTest;
  let registry: ServiceUnderTest;

  beforeAll(async () => {
    intake = await startService('intake', sealed, (env) => IntakeModule.forRoot(loadIntakeConfig(env), env));
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
  });

  afterAll(async () => {
    await intake?.close();
    await registry?.close();
  });

  // This year's call (a window that has ended is refused, A7), and next year's.
  const year = Number(shanghaiToday(new Date()).slice(0, 4));
  const window = (y: number) => ({ year: y, opensOn: `${y}-01-01`, closesOn: `${y}-12-31` });

  it('shows a call opened on intake in the registry read model', async () => {
    const bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-1' });
    const opened = await request(intake.app.getHttpServer())
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send(window(year))
      .expect(201);
    expect(opened.body).toMatchObject({ status: 'open', version: 1 });

    const calls = await eventually(async () => {
      const res = await request(registry.app.getHttpServer()).get('/calls').expect(200);
      expect(res.body).toHaveLength(1);
      return res.body;
    });
    const http = () => request(registry.app.getHttpServer());
    expect((await http().get(`/calls?year=${year}`).expect(200)).body).toHaveLength(1);
    for (const bad of ['year=abc', 'year=1&year=2', 'year=99999999999', 'yr=2026'])
      expect((await http().get(`/calls?${bad}`).expect(400)).body.message).toMatch(/^(year|yr): /);
    expect(calls[0]).toEqual({
      callId: opened.body.callId,
      ...window(year),
      status: 'open',
      closedOn: null,
      takesSubmissionsToday: true,
    });

    const stored = await intake.db.pool.query(`select type, actor from event_store.events`);
    expect(stored.rows).toEqual([
      { type: 'intake.call-opened', actor: expect.objectContaining({ id: 'bureau-1', role: 'city_bureau' }) },
    ]);
    const keys = SealKeys.fromPem(sealKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(await new PostgresEventStore(intake.db.pool).verify(undefined, keys)).toEqual({
      ok: true,
      checked: 1,
    });
  });

  it('refuses a call from a role other than the bureau, and names a bad field', async () => {
    const operator = await intake.token({ role: 'operator', centerId: 'c-1' });
    await request(intake.app.getHttpServer())
      .post('/calls')
      .set('authorization', `Bearer ${operator}`)
      .send(window(year))
      .expect(403);
    const bureau = await intake.token({ role: 'city_bureau' });
    const bad = await request(intake.app.getHttpServer())
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ ...window(year), opensOn: `${year}-02-30` })
      .expect(400);
    expect(bad.body.message).toContain('opensOn');
    const ended = await request(intake.app.getHttpServer())
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send(window(year - 1))
      .expect(400);
    expect(ended.body).toMatchObject({ field: 'closesOn', message: expect.stringContaining('A7') });
  });

  it('returns the first result for a retried command with the same Idempotency-Key', async () => {
    const bureau = await intake.token({ role: 'city_bureau', sub: 'bureau-2' });
    const send = () =>
      request(intake.app.getHttpServer())
        .post('/calls')
        .set('authorization', `Bearer ${bureau}`)
        .set('idempotency-key', 'open-next-year')
        .send(window(year + 1));
    const first = await send().expect(201);
    const second = await send().expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const count = await intake.db.pool.query(
      `select count(*)::int as n from event_store.events where payload->>'year' = $1`,
      [String(year + 1)],
    );
    expect(count.rows[0].n).toBe(1);
  });
});
