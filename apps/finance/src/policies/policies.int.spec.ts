import request from 'supertest';
import { serviceTopic } from '@nqpf/contracts';
import { createKafka, createTopics } from '@nqpf/messaging';
import { DEFAULT_POLICY, POLICY_VERSION_RULE } from '@nqpf/rules';
import { ServiceUnderTest, startService, testEnvironment, testInfra, uniqueName } from '@nqpf/testing';
import { loadFinanceConfig } from '../config';
import { FinanceModule } from '../finance.module';

/** POST /policies over HTTP: the version name it publishes, and an If-Match it does not check. */
describe('finance policy book over HTTP', () => {
  const environment = testEnvironment(uniqueName('finance-policies'));
  const kafka = createKafka('finance-policies-test', testInfra().kafkaBrokers);
  let service: ServiceUnderTest;
  const http = () => request(service.app.getHttpServer());
  let bureau: string;
  const next = { ...DEFAULT_POLICY, version: 'policy-2099.1', effectiveFrom: '2099-01-01' };
  const publish = (policy: object) =>
    http().post('/policies').set('authorization', `Bearer ${bureau}`).send({ policy, reason: 'budget 2099' });
  const versions = async () =>
    (await http().get('/policies').set('authorization', `Bearer ${bureau}`).expect(200)).body.map(
      (p: { version: string }) => p.version,
    );

  beforeAll(async () => {
    // Finance consumes topics other services own; alone in this test, it needs them to exist first.
    const prefix = environment.topicPrefix;
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    service = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env),
    );
    bureau = await service.token({ role: 'city_bureau' });
  }, 180_000);
  afterAll(async () => service?.close());

  it('refuses a version name over 100 characters with 422, naming policy.version and the rule', async () => {
    for (const version of ['policy-2099.'.padEnd(5000, '1'), `policy-2099.${'长'.repeat(120)}`]) {
      const refused = await publish({ ...next, version }).expect(422);
      expect(refused.body).toMatchObject({
        error: 'rule_violation',
        rule: 'policy-schema',
        field: 'policy.version',
        message: `policy-schema: policy.version: ${POLICY_VERSION_RULE}, got ${version.length} characters`,
      });
    }
    expect(await versions()).toEqual([DEFAULT_POLICY.version]);
  });

  it('refuses If-Match on a command that checks no version, doing nothing; runs it without', async () => {
    for (const ifMatch of ['"1"', '999999999', 'W/"1"']) {
      const refused = await publish(next).set('if-match', ifMatch).expect(400);
      expect(refused.body).toEqual({
        statusCode: 400,
        error: 'invalid_input',
        message:
          'If-Match: this route does not check versions (a change made since the version you read would not be refused); remove If-Match',
        field: 'If-Match',
      });
    }
    expect(await versions()).toEqual([DEFAULT_POLICY.version]);
    // A read is unaffected by a conditional GET's If-None-Match.
    await http()
      .get('/policies')
      .set({ authorization: `Bearer ${bureau}`, 'if-none-match': '"1"' })
      .expect(200);
    await publish(next).expect(201);
    expect(await versions()).toEqual([DEFAULT_POLICY.version, 'policy-2099.1']);
  });
});
