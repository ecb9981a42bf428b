import request from 'supertest';
import { serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
import {
  eventually,
  publishRecognition,
  ServiceUnderTest,
  startService,
  testEnvironment,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { loadFinanceConfig } from '../config';
import { FinanceModule } from '../finance.module';

/** GET /accounts/:centerId shows the filing account as the registry's standing does (docs/security.md). */
describe('finance account view: the filing account id', () => {
  const environment = testEnvironment(uniqueName('finance-account-view'));
  const kafka = createKafka('finance-account-view-test', testInfra().kafkaBrokers);
  let service: ServiceUnderTest;
  const centerId = uuidv7();
  const read = async (token: string) =>
    request(service.app.getHttpServer())
      .get(`/accounts/${centerId}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);

  beforeAll(async () => {
    // Finance consumes topics other services own; alone in this test, it needs them to exist first.
    const prefix = environment.topicPrefix;
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    service = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env),
    );
    await publishRecognition(kafka, environment.topicPrefix, centerId, '南关区');
    const bureau = await service.token({ role: 'city_bureau' });
    await eventually(() => read(bureau), 90_000);
  }, 180_000);
  afterAll(async () => service?.close());

  it('gives operatorId to the bureau, auditors, the district office and the operator; (withheld) to finance officers', async () => {
    const readers = [
      await service.token({ role: 'city_bureau' }),
      await service.token({ role: 'auditor' }),
      await service.token({ role: 'district_office', district: '南关区' }),
      await service.token({ role: 'operator', centerId }),
    ];
    for (const token of readers) expect((await read(token)).body.operatorId).toBe(`op-${centerId}`);
    // A finance officer pays the operating entity; which of its staff filed is not needed.
    const finance = await read(await service.token({ role: 'finance_officer' }));
    const bureau = await read(readers[0]!);
    expect(finance.body).toEqual({ ...bureau.body, operatorId: '(withheld)' });
  });

  it('says so in its OpenAPI description', async () => {
    const doc = await request(service.app.getHttpServer()).get('/docs-json').expect(200);
    const ok = doc.body.paths['/accounts/{centerId}'].get.responses['200'];
    expect(ok.description).toContain('operatorId');
    expect(ok.description).toContain('(withheld) for finance officers');
  });
});
