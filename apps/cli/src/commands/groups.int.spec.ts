import type { Consumer } from 'kafkajs';
import { createKafka } from '@nqpf/messaging';
import { createTestTopics, testInfra, uniqueName } from '@nqpf/testing';
import { runCaptured } from '../run-captured.spec-helper';
import * as groupsCommand from './groups';

jest.setTimeout(60_000);

/** The recovery runbook's group reset against the real broker: list, dry run, reset, and its refusals. */
describe('nqpf groups', () => {
  const prefix = uniqueName('zz-groups');
  const topic = `${prefix}.review.events`;
  const group = `${prefix}.registry.calls`;
  const idle = `${prefix}.registry.audit.v2`;
  const kafka = createKafka(uniqueName('groups-test'), testInfra().kafkaBrokers);
  const admin = kafka.admin();
  const env = { KAFKA_BROKERS: testInfra().kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: prefix };
  const groups = (args: string[]) => runCaptured({ run: (a) => groupsCommand.run(a, env) }, args);

  /** A consumer of `group` that reads the whole topic (5 records) and commits, as a service would. */
  async function consumeAll(): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    const all = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async () => {
          seen += 1;
          if (seen === 5) resolve();
        },
      });
    });
    await all;
    return consumer;
  }

  /** A consumer of `group` that has joined it (a member), reading nothing new. */
  async function member(): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId: group });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
    return consumer;
  }

  async function committed(): Promise<string[]> {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  }

  beforeAll(async () => {
    await createTestTopics([topic], 2);
    await admin.connect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [0, 0, 0, 1, 1].map((partition, i) => ({ partition, value: `record ${i}` })),
    });
    await producer.disconnect();
    await (await consumeAll()).disconnect(); // commits 3 and 2, then leaves the group
  });

  afterAll(async () => {
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it("lists the system's groups with their state", async () => {
    const { code, stdout } = await groups(['list']);
    expect(stdout).toContain(`${group}: Empty, 0 members\n`);
    expect(stdout).toContain(`under ${prefix}.\n`);
    expect(code).toBe(0);
  });

  it('--dry-run prints old -> new for each committed partition and changes nothing', async () => {
    expect(await committed()).toEqual(['3', '2']);
    const { code, stdout } = await groups(['reset', '--group', group, '--to-earliest', '--dry-run']);
    expect(stdout).toBe(
      `${topic} partition 0: 3 -> 0\n${topic} partition 1: 2 -> 0\n` +
        `${group}: would reset 2 partitions of 1 topic to the earliest offset (dry run: nothing changed)\n`,
    );
    expect(code).toBe(0);
    expect(await committed()).toEqual(['3', '2']);
  });

  it('refuses while the group has a member, naming its client id (exit 1)', async () => {
    const consumer = await member();
    try {
      const { code, stderr } = await groups(['reset', '--group', group, '--to-earliest']);
      expect(stderr).toContain(`nqpf groups: ${group} NOT reset: it has 1 member (`);
      expect(stderr).toMatch(/groups-test_[0-9a-z]+_[0-9a-f]{8}, state Stable\)/);
      expect(code).toBe(1);
    } finally {
      await consumer.disconnect();
    }
  });

  it('resets the committed offsets to the earliest, and the group reads the topic again', async () => {
    const { code, stdout } = await groups(['reset', '--group', group, '--to-earliest']);
    expect(stdout).toContain(`${group}: reset 2 partitions of 1 topic to the earliest offset\n`);
    expect(code).toBe(0);
    expect(await committed()).toEqual(['0', '0']);
    await (await consumeAll()).disconnect(); // all 5 records again
    expect(await committed()).toEqual(['3', '2']);
  });

  it('says a group that committed nothing has nothing to reset (exit 0), and refuses another system’s (exit 2)', async () => {
    const none = await groups(['reset', '--group', idle, '--to-earliest']);
    expect(none.stdout).toBe(
      `${idle} has committed no offsets: nothing to reset (it starts from the beginning anyway)\n`,
    );
    expect(none.code).toBe(0);
    const other = await groups(['reset', '--group', `x${group}`, '--to-earliest']);
    expect(other.stderr).toContain(`is not a group of this system (KAFKA_TOPIC_PREFIX=${prefix}`);
    expect(other.code).toBe(2);
  });
});
