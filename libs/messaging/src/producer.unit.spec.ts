import type { Kafka, Producer } from 'kafkajs';
import { KafkaEventPublisher } from './producer';

/** A producer whose sends fail for good once one has failed, as kafkajs's does on an out-of-order sequence. */
function fakeKafka() {
  const made: { sends: number }[] = [];
  const kafka = {
    producer: () => {
      let broken = false;
      const stats = { sends: 0 };
      made.push(stats);
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: async () => {
          stats.sends++;
          if (broken || made.length === 1) {
            broken = true;
            throw new Error('The broker received an out of order sequence number');
          }
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, made };
}

it('replaces a producer whose send failed, so one refused sequence does not stop publishing for good', async () => {
  const { kafka, made } = fakeKafka();
  const publisher = new KafkaEventPublisher(kafka);
  const message = { key: 'c1', value: Buffer.from('{}'), headers: {} };
  await expect(publisher.publish('t', [message])).rejects.toThrow('out of order sequence number');
  await expect(publisher.publish('t', [message])).resolves.toBeUndefined();
  expect(made.map((p) => p.sends)).toEqual([1, 1]);
});
