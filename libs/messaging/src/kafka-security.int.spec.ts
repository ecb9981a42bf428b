import { createTestTopics, testSecureKafka, uniqueName } from '@nqpf/testing';
import { testEnvelope } from './consumer/test-support';
import { replayTopics } from './consumer/replay';
import { createKafka, type KafkaSecurity } from './kafka';
import { KafkaEventPublisher } from './producer';
import { fromWire, toWire } from './wire';

jest.setTimeout(60000);

/** The local broker's SASL_SSL listener: TLS from a private CA, SCRAM-SHA-512 (deploy/local/kafka.sh). */
describe('Kafka over TLS with SCRAM', () => {
  const secure = testSecureKafka();
  const security = (password = secure.password): KafkaSecurity => ({
    tls: { ca: secure.ca },
    sasl: { mechanism: 'scram-sha-512', username: secure.username, password },
  });

  it('publishes and reads back events through the secured listener', async () => {
    const topic = uniqueName('secure');
    await createTestTopics([topic], 1);
    const kafka = createKafka(uniqueName('secure-test'), [secure.brokers], security());
    const publisher = new KafkaEventPublisher(kafka);
    const sent = [testEnvelope('c-1', 1), testEnvelope('c-1', 2)];
    try {
      await publisher.publish(topic, sent.map(toWire));
    } finally {
      await publisher.disconnect();
    }
    const read: string[] = [];
    await replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: 'test.security.replay.',
      handleBatch: async (records) => void read.push(...records.map((r) => fromWire(r.value).id)),
    });
    expect(read).toEqual(sent.map((e) => e.id));
  });

  it('is refused with a wrong password', async () => {
    const admin = createKafka(uniqueName('secure-test'), [secure.brokers], security('wrong')).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });
});
