import request from 'supertest';
import { EventEnvelope, serviceTopic } from '@nqpf/contracts';
import { createKafka, createTopics, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import type { ManualClock } from '@nqpf/platform';
import { ServiceUnderTest, startService, testEnvironment, testInfra, uniqueName } from '@nqpf/testing';
import { loadFinanceConfig } from '../config';
import { FinanceModule } from '../finance.module';

/**
 * Finance on real PostgreSQL and Kafka, fed by publishing what review and assessment would onto their
 * topics: started before the calling describe's tests, closed after them.
 */
export function financeFedByTopics(name: string, clock: ManualClock) {
  const environment = testEnvironment(uniqueName(name));
  const prefix = environment.topicPrefix;
  const kafka = createKafka(`${name}-test`, testInfra().kafkaBrokers);
  const publisher = new KafkaEventPublisher(kafka);
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    // Finance consumes topics other services own; alone in the test, it needs them to exist first.
    await createTopics(kafka, [serviceTopic('review', prefix), serviceTopic('assessment', prefix)], 3);
    service = await startService('finance', environment, (env) =>
      FinanceModule.forRoot(loadFinanceConfig(env), env, { clock }),
    );
  }, 120_000);
  afterAll(async () => {
    await publisher.disconnect();
    await service?.close();
  });

  const finance = () => service!;
  const http = () => request(finance().app.getHttpServer());
  const officer = () => finance().token({ role: 'finance_officer' });
  return {
    prefix,
    finance,
    http,
    officer,
    publish: (from: 'review' | 'assessment', ...events: EventEnvelope[]) =>
      publisher.publish(serviceTopic(from, prefix), events.map(toWire)),
    /** GET /accounts/:centerId as a finance officer. */
    account: async (centerId: string) =>
      (
        await http()
          .get(`/accounts/${centerId}`)
          .set('authorization', `Bearer ${await officer()}`)
          .expect(200)
      ).body,
  };
}
