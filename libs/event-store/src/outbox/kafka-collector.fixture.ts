import type { Consumer } from 'kafkajs';
import { createKafka } from '@nqpf/messaging';
import { testInfra, uniqueName } from '@nqpf/testing';

export interface Received {
  key: string;
  eventId: string;
  partition: number;
}

/** A raw kafkajs consumer for tests: records every message of `topic` from the beginning. */
export async function collectTopic(
  topic: string,
): Promise<{ received: Received[]; stop: () => Promise<void> }> {
  const kafka = createKafka(uniqueName('collector'), testInfra().kafkaBrokers);
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      received.push({
        key: message.key!.toString(),
        eventId: message.headers!['nqpf-event-id']!.toString(),
        partition,
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}

export function countById(received: Received[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of received) counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
  return counts;
}
