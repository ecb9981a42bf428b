import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import {
  answerWithoutId,
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
import { loadReportingConfig } from './config';
import { ReportingModule } from './reporting.module';

/** docs/security.md's reporting rows replayed against the running service, plus object-level (BOLA) checks. */
describe('reporting access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('reporting-matrix'));
  const kafka = createKafka('reporting-matrix-test', testInfra().kafkaBrokers);
  let service: ServiceUnderTest;
  const http = () => request(service.app.getHttpServer());
  // Center A is in 南关区 (the matrix's district office), center B in 高新区.
  const centerA = uuidv7();
  const centerB = uuidv7();

  const recognise = (centerId: string, district: string) =>
    publishRecognition(kafka, environment.topicPrefix, centerId, district);

  beforeAll(async () => {
    service = await startService('reporting', environment, (env) =>
      ReportingModule.forRoot(loadReportingConfig({ ...env, REPORTING_TIMER_INTERVAL_MS: '0' }), env),
    );
    await recognise(centerA, '南关区');
    await recognise(centerB, '高新区');
    const bureau = await service.token({ role: 'city_bureau' });
    for (const id of [centerA, centerB])
      await eventually(
        () => http().get(`/centers/${id}/obligations`).set('authorization', `Bearer ${bureau}`).expect(200),
        90_000,
      );
  }, 180_000);
  afterAll(async () => service?.close());

  /** Valid bodies, so the handler (and its object check) runs instead of a 400 from validation. */
  const activity = {
    type: 'roadshow',
    heldOn: '2026-04-01',
    title: '路演',
    participants: 3,
    evidenceHash: 'a'.repeat(64),
  };
  const bodies: Record<string, object> = {
    '/centers/:centerId/operation-start': { startedOn: '2026-04-01' },
    '/centers/:centerId/operation-start/confirm': { basis: '现场核查：运营团队在岗' },
    '/centers/:centerId/operation-start/reject': { reason: '场地未启用' },
    '/centers/:centerId/activities': activity,
    '/centers/:centerId/activities/:activityId/withdrawal': { reason: '重复登记' },
    '/centers/:centerId/reports': {
      kind: 'quarterly',
      year: 2026,
      quarter: 2,
      content: { majorActivities: 'a', importantResults: 'b' },
    },
    '/centers/:centerId/major-changes': {
      changes: ['area_changed'],
      description: '场地面积调整',
      effectiveOn: '2026-05-01',
      newFacts: { premises: { buildingAreaM2: '5100.00' } },
    },
  };
  const body = (row: AccessRow) => bodies[row.path] ?? {};

  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    centerId: which === 'own' ? centerA : centerB,
    activityId: uuidv7(),
    // The report the operator's POST row files (read as filed once it is; before, a 404 naming the report).
    kind: 'quarterly',
    period: '2026-Q2',
  });

  it('answers every reporting route as the table says, own objects passing and others answered as unknown', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(service.app, rows, {
      service: 'reporting',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA } },
      params,
      body,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 404).length).toBeGreaterThan(0);
  }, 120_000);

  it("answers an operator on another center's obligations as not found and changes nothing there", async () => {
    const bureau = await service.token({ role: 'city_bureau' });
    const before = await http()
      .get(`/centers/${centerB}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    const operatorA = await service.token({ role: 'operator', centerId: centerA });
    const res = await http()
      .post(`/centers/${centerB}/activities`)
      .set('authorization', `Bearer ${operatorA}`)
      .send(activity);
    expect(res.status).toBe(404);
    const after = await http()
      .get(`/centers/${centerB}/obligations`)
      .set('authorization', `Bearer ${bureau}`)
      .expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('answers a 南关区 office confirming the operation start of a 高新区 center as not found', async () => {
    const nanguan = await service.token({ role: 'district_office', district: '南关区' });
    await http()
      .post(`/centers/${centerB}/operation-start/confirm`)
      .set('authorization', `Bearer ${nanguan}`)
      .send({ basis: '现场核查：运营团队在岗' })
      .expect(404);
  });

  it('answers a center outside the scope exactly as an id that names nothing, read or command', async () => {
    const unknown = uuidv7();
    const nanguan = `Bearer ${await service.token({ role: 'district_office', district: '南关区' })}`;
    const operatorA = `Bearer ${await service.token({ role: 'operator', centerId: centerA })}`;
    const same = (send: (id: string) => request.Test) => expectAnsweredAsUnknown(centerB, send);
    for (const token of [nanguan, operatorA])
      for (const read of [
        'obligations',
        'activities',
        'activities?year=2026',
        'reports/quarterly/2026-Q2',
        'major-changes',
      ])
        await same((id) => http().get(`/centers/${id}/${read}`).set('authorization', token));
    // A body the state would refuse (409, 422) or the rules would: still the unknown id's 404.
    await same((id) =>
      http()
        .post(`/centers/${id}/operation-start/confirm`)
        .set({ authorization: nanguan, 'idempotency-key': `probe-${id}` })
        .send({ basis: '现场核查：运营团队在岗' }),
    );
    for (const [route, body] of Object.entries(bodies))
      if (!route.includes('/operation-start/'))
        await same((id) =>
          http()
            .post(route.replace(':centerId', id).replace(':activityId', centerA))
            .set('authorization', operatorA)
            .send(body),
        );
    expect(
      (
        await answerWithoutId(unknown, (id) =>
          http().get(`/centers/${id}/obligations`).set('authorization', nanguan),
        )
      ).body,
    ).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'recognised center :id not found',
      what: 'recognised center',
      id: ':id',
    });
  });
});
