import type { Kafka, Producer } from 'kafkajs';
import { KafkaEventPublisher } from './producer';

/** A kafkajs producer whose first connect fails (Kafka unreachable at start), then works. */
function flakyKafka() {
  let connects = 0;
  const sent: string[] = [];
  const producer = {
    connect: async () => {
      connects += 1;
      if (connects === 1) throw new Error('connect ECONNREFUSED');
    },
    send: async ({ topic }: { topic: string }) => {
      sent.push(topic);
      return [];
    },
    disconnect: async () => undefined,
  } as unknown as Producer;
  const kafka = { producer: () => producer } as unknown as Kafka;
  return { kafka, sent, connects: () => connects };
}

describe('KafkaEventPublisher', () => {
  it('connects again after a failed connect, instead of failing at once for good', async () => {
    const { kafka, sent, connects } = flakyKafka();
    const publisher = new KafkaEventPublisher(kafka);
    const message = { key: 'c1', value: Buffer.from('{}'), headers: {} };
    await expect(publisher.publish('t', [message])).rejects.toThrow('ECONNREFUSED');
    await publisher.publish('t', [message]);
    expect(connects()).toBe(2);
    expect(sent).toEqual(['t']);
  });
});
