import { createTestTopics, testInfra, uniqueName } from '@nqpf/testing';
import { createKafka } from '../kafka';
import { KafkaEventPublisher } from '../producer';
import { fromWire, toWire } from '../wire';
import { replayCleanupsDone, replayTopics, TruncatedTopicError } from './replay';
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

  it('refuses a partition whose first records were deleted, naming it, before reading anything', async () => {
    const topic = uniqueName('replay_truncated');
    await createTestTopics([topic], 1);
    const kafka = createKafka(uniqueName('replay-test'), testInfra().kafkaBrokers);
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, [testEnvelope('c-1', 1), testEnvelope('c-1', 2)].map(toWire));
    } finally {
      await publisher.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    try {
      // What retention does to the oldest records (kafkajs needs the topic's metadata loaded first).
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    } finally {
      await admin.disconnect();
    }
    const handleBatch = jest.fn(async () => undefined);
    const replay = replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: 'nqpf.registry.replay.',
      handleBatch,
    });
    await expect(replay).rejects.toBeInstanceOf(TruncatedTopicError);
    await expect(replay).rejects.toThrow(`${topic} partition 0 starts at offset 1`);
    expect(handleBatch).not.toHaveBeenCalled();
    // A dead-letter topic's retention is the operator's: read from the earliest record kept.
    const kept = await replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: 'nqpf.registry.replay.',
      handleBatch,
      earliestKept: true,
    });
    expect(kept.records).toBe(1);
  });
});
