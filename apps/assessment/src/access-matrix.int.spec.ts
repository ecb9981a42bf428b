import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import {
  eventually,
  expectAnsweredAsUnknown,
  publishRecognition,
  repoRoot,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { AssessmentModule } from './assessment.module';
import { loadAssessmentConfig } from './config';

/** docs/security.md's assessment rows replayed against the running service, plus object-level (BOLA) checks. */
describe('assessment access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('assessment-matrix'));
  const kafka = createKafka('assessment-matrix-test', testInfra().kafkaBrokers);
  let service: ServiceUnderTest;
  const http = () => request(service.app.getHttpServer());
  // Center A is in 南关区 (the matrix's district office), center B in 高新区.
  const centerA = uuidv7();
  const centerB = uuidv7();

  const recognise = (centerId: string, district: string) =>
    publishRecognition(kafka, environment.topicPrefix, centerId, district);

  beforeAll(async () => {
    service = await startService('assessment', environment, (env) =>
      AssessmentModule.forRoot(loadAssessmentConfig(env), env),
    );
    await recognise(centerA, '南关区');
    await recognise(centerB, '高新区');
    const bureau = await service.token({ role: 'city_bureau' });
    for (const id of [centerA, centerB])
      await eventually(
        () => http().get(`/centers/${id}/assessment`).set('authorization', `Bearer ${bureau}`).expect(200),
        90_000,
      );
  }, 180_000);
  afterAll(async () => service?.close());

  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    centerId: which === 'own' ? centerA : centerB,
    year: '2026',
  });

  it('answers every assessment route as the table says, own objects passing and others answered as unknown', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(service.app, rows, {
      service: 'assessment',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA } },
      params,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 404).length).toBeGreaterThan(0);
  }, 120_000);

  it("refuses an operator assessing (its role) or reading another center (not found), and the other center's grades stay", async () => {
    const bureau = await service.token({ role: 'city_bureau' });
    const read = () =>
      http().get(`/centers/${centerB}/assessment`).set('authorization', `Bearer ${bureau}`).expect(200);
    const before = await read();
    const operatorA = await service.token({ role: 'operator', centerId: centerA });
    await http()
      .post(`/centers/${centerB}/assessments`)
      .set('authorization', `Bearer ${operatorA}`)
      .send({ year: 2026, method: { kind: 'direct', grade: '优秀', reason: '自评' } })
      .expect(403);
    await http()
      .get(`/centers/${centerB}/assessments/2026/inputs`)
      .set('authorization', `Bearer ${operatorA}`)
      .expect(404);
    expect((await read()).body).toEqual(before.body);
  });

  it('answers a 南关区 office reading the assessment of a 高新区 center as not found', async () => {
    const nanguan = await service.token({ role: 'district_office', district: '南关区' });
    await http().get(`/centers/${centerB}/assessment`).set('authorization', `Bearer ${nanguan}`).expect(404);
    await http().get(`/centers/${centerA}/assessment`).set('authorization', `Bearer ${nanguan}`).expect(200);
  });

  it('answers a center outside the scope exactly as an id that names nothing', async () => {
    const unknown = uuidv7();
    const nanguan = `Bearer ${await service.token({ role: 'district_office', district: '南关区' })}`;
    const operatorA = `Bearer ${await service.token({ role: 'operator', centerId: centerA })}`;
    const same = (send: (id: string) => request.Test) => expectAnsweredAsUnknown(centerB, send);
    for (const token of [nanguan, operatorA]) {
      await same((id) => http().get(`/centers/${id}/assessment`).set('authorization', token));
      await same((id) => http().get(`/centers/${id}/assessments/2026/inputs`).set('authorization', token));
    }
    const res = await http().get(`/centers/${unknown}/assessment`).set('authorization', nanguan).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: `recognised center ${unknown} not found`,
      what: 'recognised center',
      id: unknown,
    });
  });
});
