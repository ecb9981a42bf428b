import { Module } from '@nestjs/common';
import { FinanceEventTypes, serviceTopic } from '@nqpf/contracts';
import { NotReadyYet } from '@nqpf/messaging';
import { DEFAULT_POLICY, UnknownPolicyVersionError } from '@nqpf/rules';
import {
  publishEvent,
  startService,
  testEnvironment,
  uniqueName,
  type ServiceUnderTest,
  type TestEnvironment,
} from '@nqpf/testing';
import { Kafka } from 'kafkajs';
import { Clock, ManualClock } from './clock';
import { baseConfigSpec, loadConfig } from './config';
import { ConsumerHost } from './consumers';
import { PlatformModule } from './platform.module';
import { PublishedPolicies } from './published-policies';
import { KAFKA } from './tokens';
import { UnitOfWork } from './unit-of-work';

jest.setTimeout(90000);

@Module({})
class Root {}

/** The copy decides only once it has read finance's topic far enough, however far its consumer lags. */
describe('PublishedPolicies', () => {
  let environment: TestEnvironment;
  let service: ServiceUnderTest;
  let policies: PublishedPolicies;
  const clock = new ManualClock(new Date('2027-01-04T10:00:00+08:00'));

  const publish = (version: string, effectiveFrom: string) =>
    publishEvent(
      service.app.get<Kafka>(KAFKA),
      serviceTopic('finance', environment.topicPrefix),
      FinanceEventTypes.PolicyPublished,
      {
        version,
        effectiveFrom,
        publishedOn: '2026-12-20',
        policy: { ...DEFAULT_POLICY, version, effectiveFrom },
        reason: 'test',
      },
    );

  beforeAll(async () => {
    environment = testEnvironment(uniqueName('policycopy'));
    service = await startService('policycopy', environment, (env) => ({
      module: Root,
      imports: [
        PlatformModule.forRoot({ service: 'policycopy', config: loadConfig(baseConfigSpec, env), env }),
      ],
      providers: [{ provide: Clock, useValue: clock }, UnitOfWork, PublishedPolicies],
    }));
    policies = service.app.get(PublishedPolicies);
  });
  afterAll(async () => service?.close());

  it('answers with a version published a moment ago: the decision waits for the copy to read it', async () => {
    await publish('policy-2027.1', '2027-01-01');
    // No polling here: the first answer after publication must already be the new version.
    expect((await policies.inForceOn('2027-01-04')).version).toBe('policy-2027.1');
    expect((await policies.inForceOn('2026-12-31')).version).toBe(DEFAULT_POLICY.version);
  });

  it('finds a version by name as soon as it is published, and refuses one never published once caught up', async () => {
    await publish('policy-2027.2', '2027-02-01');
    expect((await policies.version('policy-2027.2')).effectiveFrom).toBe('2027-02-01');
    await expect(policies.version('policy-2099.1')).rejects.toThrow(UnknownPolicyVersionError);
  });

  it('says NotReadyYet rather than deciding under an older version while its consumer is stopped', async () => {
    await service.app.get(ConsumerHost).onApplicationShutdown();
    await publish('policy-2027.3', '2027-03-01');
    clock.set('2027-03-02T09:00:00+08:00');
    policies.waitMs = 500;
    await expect(policies.inForceOn('2027-03-02')).rejects.toThrow(NotReadyYet);
    await expect(policies.version('policy-2027.3')).rejects.toThrow(NotReadyYet);
    // A day the copy had read up to before its consumer stopped still answers.
    expect((await policies.inForceOn('2027-01-04')).version).toBe('policy-2027.1');
  });
});
