import type { Kafka } from 'kafkajs';
import type { EventEnvelope } from '@nqpf/contracts';
import { KafkaEventPublisher, toWire } from '@nqpf/messaging';

/** Creates the topics and publishes each topic's events in order (key = center id, via toWire). */
export async function produceTopics(
  kafka: Kafka,
  events: Map<string, EventEnvelope[]>,
  partitions: number,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [...events.keys()].map((topic) => ({ topic, numPartitions: partitions })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  const publisher = new KafkaEventPublisher(kafka);
  try {
    for (const [topic, list] of events)
      for (let i = 0; i < list.length; i += 2000)
        await publisher.publish(topic, list.slice(i, i + 2000).map(toWire));
  } finally {
    await publisher.disconnect();
  }
}

/**
 * The baseline: kafkajs eachBatch from offset zero over `topics`, counting records and parsing
 * nothing; resolves with events/s once `expected` records were seen (joining the group included).
 */
export async function rawConsume(
  kafka: Kafka,
  topics: string[],
  expected: number,
  groupId: string,
  concurrency: number,
): Promise<number> {
  const started = performance.now();
  const consumer = kafka.consumer({ groupId });
  let seen = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: concurrency,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= expected) finish();
      },
    });
    await done;
    return expected / ((performance.now() - started) / 1000);
  } finally {
    await consumer.disconnect();
  }
}

export async function deleteTopicsAndGroups(kafka: Kafka, topics: string[], groups: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
