import { testInfra, uniqueName } from '@nqpf/testing';
import { createKafka, createTopics, TopicRetentionError } from './kafka';

jest.setTimeout(60000);

/** Topic creation against the real (single-node) broker: the durability asked for, or a refusal at once. */
describe('createTopics', () => {
  const kafka = createKafka(uniqueName('topics-test'), testInfra().kafkaBrokers);
  const admin = kafka.admin();
  const created: string[] = [];

  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  });

  async function topicConfig(topic: string): Promise<Record<string, string>> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['retention.ms', 'min.insync.replicas'] }],
    });
    return Object.fromEntries(resources[0]!.configEntries.map((c) => [c.configName, c.configValue]));
  }

  it('creates the topics with their partitions, unlimited retention and the durability asked for', async () => {
    const topic = uniqueName('durable');
    created.push(topic);
    await createTopics(kafka, [topic], 3, { replicationFactor: 1, minInsyncReplicas: 1 });
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata!.partitions).toHaveLength(3);
    expect(metadata!.partitions.every((p) => p.replicas.length === 1)).toBe(true);
    expect(await topicConfig(topic)).toEqual({ 'retention.ms': '-1', 'min.insync.replicas': '1' });
  });

  it('is refused at once, naming the cause, when the cluster has fewer brokers than the replicas asked for', async () => {
    const topic = uniqueName('too_durable');
    const started = Date.now();
    await expect(createTopics(kafka, [topic], 1, { replicationFactor: 3 })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
    // Not retried until the 30 s deadline: asking again cannot help.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses a topic that would lose records (created by hand with a retention), naming it and the setting', async () => {
    const topic = uniqueName('kept_a_week');
    created.push(topic);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '604800000' }] }],
    });
    const refused = createTopics(kafka, [topic], 1);
    await expect(refused).rejects.toBeInstanceOf(TopicRetentionError);
    await expect(refused).rejects.toThrow(`${topic} has retention.ms=604800000`);
    expect(await topicConfig(topic)).toMatchObject({ 'retention.ms': '604800000' });
    // A dead-letter topic is no replay source: its retention is the operator's to choose.
    const letters = `${uniqueName('kept_a_week')}.dlt`;
    created.push(letters);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: letters, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '604800000' }] },
      ],
    });
    await createTopics(kafka, [letters], 1);
  });
});
