import { createTestTopics, testInfra, uniqueName } from '@nqpf/testing';
import { createKafka } from '../kafka';
import { KafkaEventPublisher } from '../producer';
import { fromWire, toWire } from '../wire';
import { replayCleanupsDone, replayTopics } from './replay';
import { testEnvelope } from './test-support';

jest.setTimeout(60000);

describe('replayTopics', () => {
  it('reads every record up to the end offsets in a throwaway group named under the given prefix', async () => {
    const topic = uniqueName('replay');
    await createTestTopics([topic], 2);
    const kafka = createKafka(uniqueName('replay-test'), testInfra().kafkaBrokers);
    const publisher = new KafkaEventPublisher(kafka);
    const sent = [testEnvelope('c-1', 1), testEnvelope('c-1', 2), testEnvelope('c-2', 1)];
    try {
      await publisher.publish(topic, sent.map(toWire));
    } finally {
      await publisher.disconnect();
    }
    // Kafka ACLs grant a service the groups under its own prefix: the replay's group must be one of them.
    const groupPrefix = `${uniqueName('nqpf')}.registry.replay.`;
    const admin = kafka.admin();
    await admin.connect();
    const groupsSeen = new Set<string>();
    const read: string[] = [];
    try {
      const result = await replayTopics({
        kafka,
        topics: [topic],
        groupPrefix,
        handleBatch: async (records) => {
          read.push(...records.map((r) => fromWire(r.value).id));
          for (const g of (await admin.listGroups()).groups) groupsSeen.add(g.groupId);
        },
      });
      expect(result.records).toBe(3);
    } finally {
      await admin.disconnect();
    }
    expect(read.sort()).toEqual(sent.map((e) => e.id).sort());
    expect([...groupsSeen].filter((g) => g.startsWith(groupPrefix))).toHaveLength(1);
    // Gone once the cleanups are done (the CLI waits for them before it exits).
    await replayCleanupsDone();
    const after = kafka.admin();
    await after.connect();
    try {
      const { groups } = await after.listGroups();
      expect(groups.filter((g) => g.groupId.startsWith(groupPrefix))).toEqual([]);
    } finally {
      await after.disconnect();
    }
  });
});
