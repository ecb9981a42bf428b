import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import {
  applicationFacts,
  expectAnsweredAsUnknown,
  repoRoot,
  ServiceUnderTest,
  startService,
  testEnvironment,
  uniqueName,
} from '@nqpf/testing';
import { shanghaiToday } from '@nqpf/rules';
import { loadIntakeConfig } from './config';
import { IntakeModule } from './intake.module';

const facts = applicationFacts();

/** docs/security.md's intake rows replayed against the running service, plus object-level (BOLA) checks. */
describe('intake access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('intake-matrix'));
  let intake: ServiceUnderTest;
  const http = () => request(intake.app.getHttpServer());
  // Application A (= center A) is in 南关区 (the matrix's district office), application B in 高新区.
  const centerA = uuidv7();
  const centerB = uuidv7();
  let callId: string;

  async function draft(centerId: string, district: string) {
    const operator = await intake.token({ role: 'operator', centerId, sub: `op-${centerId}` });
    await http()
      .post('/applications')
      .set('authorization', `Bearer ${operator}`)
      .send({ callId, district, facts, materials: [] })
      .expect(201);
  }

  beforeAll(async () => {
    intake = await startService('intake', environment, (env) =>
      IntakeModule.forRoot(loadIntakeConfig(env), env),
    );
    const bureau = await intake.token({ role: 'city_bureau' });
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const opened = await http()
      .post('/calls')
      .set('authorization', `Bearer ${bureau}`)
      .send({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` })
      .expect(201);
    callId = opened.body.callId;
    await draft(centerA, '南关区');
    await draft(centerB, '高新区');
  }, 60_000);
  afterAll(async () => intake?.close());

  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    id: which === 'own' ? centerA : centerB,
    callId,
  });
  /** Valid bodies, so the handler (and its object check) runs instead of a 400 from validation. */
  const body = (row: AccessRow) =>
    row.path.endsWith('/return') || row.path.endsWith('/return-for-supplement')
      ? { reasons: ['材料不全'] }
      : {};
  const application = async (id: string) =>
    http()
      .get(`/applications/${id}`)
      .set('authorization', `Bearer ${await intake.token({ role: 'city_bureau' })}`)
      .expect(200);

  it('answers every intake route as the table says, own objects passing and others answered as unknown', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(intake.app, rows, {
      service: 'intake',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA, sub: `op-${centerA}` } },
      params,
      body,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 404).length).toBeGreaterThan(0);
  }, 120_000);

  it('answers operator A amending, submitting or reading application B as not found, and B is unchanged', async () => {
    const before = await application(centerB);
    const operatorA = await intake.token({ role: 'operator', centerId: centerA, sub: `op-${centerA}` });
    const as = { authorization: `Bearer ${operatorA}` };
    await http().patch(`/applications/${centerB}`).set(as).send({ district: '南关区' }).expect(404);
    await http().post(`/applications/${centerB}/submit`).set(as).expect(404);
    await http().get(`/applications/${centerB}`).set(as).expect(404);
    expect((await application(centerB)).body).toEqual(before.body);
  });

  it('answers a 南关区 office endorsing or returning a 高新区 application as not found', async () => {
    const operatorB = await intake.token({ role: 'operator', centerId: centerB, sub: `op-${centerB}` });
    await http().post(`/applications/${centerB}/submit`).set('authorization', `Bearer ${operatorB}`);
    const before = await application(centerB);
    const nanguan = {
      authorization: `Bearer ${await intake.token({ role: 'district_office', district: '南关区' })}`,
    };
    await http().post(`/applications/${centerB}/endorse`).set(nanguan).send({}).expect(404);
    await http()
      .post(`/applications/${centerB}/return`)
      .set(nanguan)
      .send({ reasons: ['越权'] })
      .expect(404);
    await http().get(`/applications/${centerB}`).set(nanguan).expect(404);
    expect((await application(centerB)).body).toEqual(before.body);
  });

  it('answers a 高新区 application exactly as an id that names nothing, whatever If-Match or Idempotency-Key', async () => {
    const nanguan = {
      authorization: `Bearer ${await intake.token({ role: 'district_office', district: '南关区' })}`,
    };
    const operatorA = {
      authorization: `Bearer ${await intake.token({ role: 'operator', centerId: centerA, sub: `op-${centerA}` })}`,
    };
    const unknown = uuidv7();
    const same = (send: (id: string) => request.Test) => expectAnsweredAsUnknown(centerB, send);
    await same((id) => http().get(`/applications/${id}`).set(nanguan));
    await same((id) => http().get(`/applications/${id}`).set(operatorA));
    for (const ifMatch of ['"1"', '"2"', '"99"'])
      await same((id) =>
        http()
          .post(`/applications/${id}/endorse`)
          .set({ ...nanguan, 'if-match': ifMatch })
          .send({}),
      );
    await same((id) =>
      http()
        .post(`/applications/${id}/return`)
        .set({ ...nanguan, 'idempotency-key': `probe-${id}` })
        .send({ reasons: ['越权'] }),
    );
    await same((id) =>
      http()
        .patch(`/applications/${id}`)
        .set({ ...operatorA, 'if-match': '"1"' })
        .send({ district: '南关区' }),
    );
    expect((await http().get(`/applications/${unknown}`).set(nanguan)).body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: `application ${unknown} not found`,
      what: 'application',
      id: unknown,
    });
  });
});
