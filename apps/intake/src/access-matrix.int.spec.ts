import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import {
  applicationFacts,
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

  it('answers every intake route as the table says, own objects passing and others refused', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(intake.app, rows, {
      service: 'intake',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA, sub: `op-${centerA}` } },
      params,
      body,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 403).length).toBeGreaterThan(0);
  }, 120_000);

  it('refuses operator A amending, submitting or reading application B, and B is unchanged', async () => {
    const before = await application(centerB);
    const operatorA = await intake.token({ role: 'operator', centerId: centerA, sub: `op-${centerA}` });
    const as = { authorization: `Bearer ${operatorA}` };
    await http().patch(`/applications/${centerB}`).set(as).send({ district: '南关区' }).expect(403);
    await http().post(`/applications/${centerB}/submit`).set(as).expect(403);
    await http().get(`/applications/${centerB}`).set(as).expect(403);
    expect((await application(centerB)).body).toEqual(before.body);
  });

  it('refuses a 南关区 office endorsing or returning a 高新区 application', async () => {
    const operatorB = await intake.token({ role: 'operator', centerId: centerB, sub: `op-${centerB}` });
    await http().post(`/applications/${centerB}/submit`).set('authorization', `Bearer ${operatorB}`);
    const before = await application(centerB);
    const nanguan = {
      authorization: `Bearer ${await intake.token({ role: 'district_office', district: '南关区' })}`,
    };
    await http().post(`/applications/${centerB}/endorse`).set(nanguan).send({}).expect(403);
    await http()
      .post(`/applications/${centerB}/return`)
      .set(nanguan)
      .send({ reasons: ['越权'] })
      .expect(403);
    await http().get(`/applications/${centerB}`).set(nanguan).expect(403);
    expect((await application(centerB)).body).toEqual(before.body);
  });
});
