import type { Kafka, Producer } from 'kafkajs';
import { KafkaEventPublisher, RenewingProducer } from './producer';

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

const message = { key: 'c1', value: Buffer.from('{}'), headers: {} };

// The relay's publisher, and the dead-letter publisher's producer (RenewingProducer, as the relay's).
it.each([
  [
    'the relay',
    (kafka: Kafka) => {
      const publisher = new KafkaEventPublisher(kafka);
      return (m: typeof message) => publisher.publish('t', [m]);
    },
  ],
  [
    'dead letters',
    (kafka: Kafka) => {
      const producer = new RenewingProducer(kafka);
      return (m: typeof message) => producer.send({ topic: 't', messages: [m] });
    },
  ],
])(
  '%s: replaces a producer whose send failed, so one refused sequence does not stop publishing for good',
  async (_, sender) => {
    const { kafka, made } = fakeKafka();
    const send = sender(kafka);
    await expect(send(message)).rejects.toThrow('out of order sequence number');
    await expect(send(message)).resolves.toBeUndefined();
    expect(made.map((p) => p.sends)).toEqual([1, 1]);
  },
);
