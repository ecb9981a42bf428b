import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { AccessColumn, AccessRow, parseAccessTable, runAccessMatrix } from '@nqpf/auth';
import { serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
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
import { loadFinanceConfig } from './config';
import { FinanceModule } from './finance.module';

/** docs/security.md's finance rows replayed against the running service, plus object-level (BOLA) checks. */
describe('finance access matrix (docs/security.md)', () => {
  const environment = testEnvironment(uniqueName('finance-matrix'));
  const kafka = createKafka('finance-matrix-test', testInfra().kafkaBrokers);
  let service: ServiceUnderTest;
  const http = () => request(service.app.getHttpServer());
  // Center A is in 南关区 (the matrix's district office), center B in 高新区.
  const centerA = uuidv7();
  const centerB = uuidv7();

  const recognise = (centerId: string, district: string) =>
    publishRecognition(kafka, environment.topicPrefix, centerId, district);

  beforeAll(async () => {
    // Finance consumes topics other services own; alone in this test, it needs them to exist first.
    const prefix = environment.topicPrefix;
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    service = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env),
    );
    await recognise(centerA, '南关区');
    await recognise(centerB, '高新区');
    const bureau = await service.token({ role: 'city_bureau' });
    for (const id of [centerA, centerB])
      await eventually(
        () => http().get(`/accounts/${id}`).set('authorization', `Bearer ${bureau}`).expect(200),
        90_000,
      );
  }, 180_000);
  afterAll(async () => service?.close());

  const evidenceHash = 'e'.repeat(64);
  const expenditure = {
    supportYear: 1,
    category: 'rent',
    amountFen: '100000',
    evidenceHash,
    spentOn: '2026-04-01',
  };
  /** Valid bodies, so the handler (and its object check) runs instead of a 400 from validation. */
  const bodies: Record<string, object> = {
    '/accounts/:centerId/year1-costs': {
      items: [{ category: 'construction', amountFen: '100000', evidenceHash }],
    },
    '/accounts/:centerId/expenditures': expenditure,
  };
  const body = (row: AccessRow) => bodies[row.path] ?? {};
  const params = (_row: AccessRow, _role: AccessColumn, which: 'own' | 'other') => ({
    centerId: which === 'own' ? centerA : centerB,
  });
  const account = async (centerId: string) =>
    http()
      .get(`/accounts/${centerId}`)
      .set('authorization', `Bearer ${await service.token({ role: 'city_bureau' })}`)
      .expect(200);

  it('answers every finance route as the table says, own objects passing and others answered as unknown', async () => {
    const rows = parseAccessTable(fs.readFileSync(path.join(repoRoot, 'docs/security.md'), 'utf8'));
    const checks = await runAccessMatrix(service.app, rows, {
      service: 'finance',
      devIdentity: { seed: environment.env.AUTH_DEV_IDENTITY_SEED! },
      actors: { operator: { centerId: centerA } },
      params,
      body,
    });
    expect(checks.filter((c) => c.variant === 'other' && c.expected === 404).length).toBeGreaterThan(0);
  }, 120_000);

  it("answers an operator spending or declaring on another center's account as not found, and that account is unchanged", async () => {
    const before = await account(centerB);
    const operatorA = await service.token({ role: 'operator', centerId: centerA });
    const as = { authorization: `Bearer ${operatorA}` };
    await http().post(`/accounts/${centerB}/expenditures`).set(as).send(expenditure).expect(404);
    await http()
      .post(`/accounts/${centerB}/year1-costs`)
      .set(as)
      .send(bodies['/accounts/:centerId/year1-costs'])
      .expect(404);
    await http().get(`/accounts/${centerB}`).set(as).expect(404);
    expect((await account(centerB)).body).toEqual(before.body);
  });

  it("answers a 南关区 office reading a 高新区 center's account as not found, and shows its own", async () => {
    const nanguan = await service.token({ role: 'district_office', district: '南关区' });
    await http().get(`/accounts/${centerB}`).set('authorization', `Bearer ${nanguan}`).expect(404);
    await http().get(`/accounts/${centerA}`).set('authorization', `Bearer ${nanguan}`).expect(200);
  });

  it('answers an account outside the scope exactly as an id that names nothing, read or command', async () => {
    const unknown = uuidv7();
    const nanguan = `Bearer ${await service.token({ role: 'district_office', district: '南关区' })}`;
    const operatorA = `Bearer ${await service.token({ role: 'operator', centerId: centerA })}`;
    const same = (send: (id: string) => request.Test) => expectAnsweredAsUnknown(centerB, send);
    for (const token of [nanguan, operatorA])
      await same((id) => http().get(`/accounts/${id}`).set('authorization', token));
    for (const [route, body] of Object.entries(bodies))
      await same((id) =>
        http()
          .post(route.replace(':centerId', id))
          .set({ authorization: operatorA, 'idempotency-key': `probe-${id}` })
          .send(body),
      );
    // An operator's own center without an account answers the same (the decider's 404).
    const newcomer = `Bearer ${await service.token({ role: 'operator', centerId: unknown })}`;
    const spend = (token: string) => (id: string) =>
      http().post(`/accounts/${id}/expenditures`).set('authorization', token).send(expenditure);
    expect(await answerWithoutId(unknown, spend(newcomer))).toEqual(
      await answerWithoutId(centerB, spend(operatorA)),
    );
  });
});
