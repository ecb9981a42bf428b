import type { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { consumerMetrics } from './metrics';
import { PartitionBatchConsumer } from './partition-batch-consumer';

/** A kafkajs consumer reduced to what PartitionBatchConsumer drives; commits fail while `commitFails`. */
function fakeKafka() {
  const listeners: Record<string, (event: { payload: unknown }) => void> = {};
  const fake = {
    commits: [] as { topic: string; partition: number; offset: string }[][],
    commitFails: 0,
    eachBatch: undefined as undefined | ((payload: unknown) => Promise<void>),
    join(assignment: Record<string, number[]>) {
      listeners['consumer.group_join']!({ payload: { memberAssignment: assignment } });
    },
    crash(restart = false) {
      listeners['consumer.crash']!({ payload: { error: new Error('gone'), restart } });
    },
    heartbeats: 0,
    /** Thrown by the next heartbeats, as kafkajs does once the group rebalances. */
    heartbeatError: undefined as undefined | Error,
    async deliver(topic: string, partition: number, ...offsets: string[]) {
      await fake.eachBatch!({
        batch: {
          topic,
          partition,
          highWatermark: String(Number(offsets.at(-1)) + 1),
          messages: offsets.map((offset) => ({ offset, value: null, headers: {} })),
        },
        resolveOffset: () => undefined,
        heartbeat: async () => {
          fake.heartbeats++;
          if (fake.heartbeatError) throw fake.heartbeatError;
        },
        isRunning: () => true,
        isStale: () => false,
      });
    },
  };
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    on: (name: string, listener: (event: { payload: unknown }) => void) => (listeners[name] = listener),
    connect: async () => undefined,
    subscribe: async () => undefined,
    disconnect: async () => undefined,
    seek: () => undefined,
    run: async ({ eachBatch }: { eachBatch: (payload: unknown) => Promise<void> }) => {
      fake.eachBatch = eachBatch;
    },
    commitOffsets: async (offsets: { topic: string; partition: number; offset: string }[]) => {
      if (fake.commitFails-- > 0) throw new Error('The coordinator is not aware of this member');
      fake.commits.push(offsets);
    },
  };
  return { fake, kafka: { consumer: () => consumer } as unknown as Kafka };
}

describe('PartitionBatchConsumer offset commits', () => {
  let consumer: PartitionBatchConsumer;
  afterEach(async () => consumer?.stop());

  const start = async (kafka: Kafka) => {
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      commitIntervalMs: 0,
      handleBatch: async (batch) => ({ commitUpTo: String(Number(batch.records.at(-1)!.offset) + 1) }),
    });
    await consumer.start();
  };

  it('commits again what a failed commit left, while the partition is still this member’s', async () => {
    const { fake, kafka } = fakeKafka();
    await start(kafka);
    fake.join({ t: [0, 1] });
    fake.commitFails = 1;
    await fake.deliver('t', 0, '4');
    expect(fake.commits).toEqual([]);
    // Nothing more arrives on the partition: the retry alone moves the group's offset.
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
  });

  it('leaves a partition given to another member to that member', async () => {
    const { fake, kafka } = fakeKafka();
    await start(kafka);
    fake.join({ t: [0, 1] });
    fake.commitFails = 1;
    await fake.deliver('t', 0, '4');
    fake.join({ t: [1] });
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake.commits).toEqual([]);
    await fake.deliver('t', 1, '7');
    expect(fake.commits).toEqual([[{ topic: 't', partition: 1, offset: '8' }]]);
  });

  it('commits through the member that replaced a crashed one, never the dead one or its offsets', async () => {
    const made: ReturnType<typeof fakeKafka>['fake'][] = [];
    const kafka = {
      consumer: () => {
        const { fake, kafka: one } = fakeKafka();
        made.push(fake);
        return one.consumer({ groupId: 'g' });
      },
    } as unknown as Kafka;
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      commitIntervalMs: 1000,
      handleBatch: async (batch) => ({ commitUpTo: String(Number(batch.records.at(-1)!.offset) + 1) }),
    });
    await consumer.start();
    made[0]!.join({ t: [0] });
    made[0]!.commitFails = 1_000; // the group is gone: every commit of the old member fails
    await made[0]!.deliver('t', 0, '2'); // its commit fails and is retried every second
    await new Promise((r) => setTimeout(r, 500));
    made[0]!.crash();
    // The restart (2 s on) falls between two retries of the dead member's commit.
    await new Promise((r) => setTimeout(r, 2100));
    made[1]!.join({ t: [0] });
    await made[1]!.deliver('t', 0, '4');
    await new Promise((r) => setTimeout(r, 1200));
    expect(made[1]!.commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
  });

  it('forgets a seek asked of a group kafkajs restarted itself: the next batch was not sought', async () => {
    const { fake, kafka } = fakeKafka();
    const sought: (string | null)[] = [];
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      commitIntervalMs: 0,
      handleBatch: async (batch) => {
        sought.push(batch.soughtTo);
        return sought.length === 1 ? { seekTo: '7' } : { commitUpTo: null };
      },
    });
    await consumer.start();
    fake.join({ t: [0] });
    await fake.deliver('t', 0, '12'); // asks for a seek to 7 …
    fake.crash(true); // … which the group kafkajs restarts never performs
    fake.join({ t: [0] });
    await fake.deliver('t', 0, '12');
    expect(sought).toEqual([null, null]);
  });

  it('starts no new member when stopped while a crashed one is being replaced', async () => {
    const made: ReturnType<typeof fakeKafka>['fake'][] = [];
    const kafka = {
      consumer: () => {
        const { fake, kafka: one } = fakeKafka();
        made.push(fake);
        const member = one.consumer({ groupId: 'g' });
        // The crashed member's disconnect takes a while: stop() comes in meanwhile.
        return { ...member, disconnect: () => new Promise<void>((r) => setTimeout(r, 300)) };
      },
    } as unknown as Kafka;
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      handleBatch: async () => ({ commitUpTo: null }),
    });
    await consumer.start();
    made[0]!.crash();
    await new Promise((r) => setTimeout(r, 2100)); // the restart began: the old member is disconnecting
    await consumer.stop();
    await new Promise((r) => setTimeout(r, 400));
    expect(made).toHaveLength(1);
  });

  it('heartbeats as it handles a long batch, and ends the batch once the group rebalances', async () => {
    const { fake, kafka } = fakeKafka();
    const handledOffsets: string[] = [];
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      handleBatch: async (batch) => {
        let commitUpTo: string | null = null;
        for (const record of batch.records) {
          if (!batch.isRunning()) break;
          handledOffsets.push(record.offset);
          commitUpTo = String(Number(record.offset) + 1);
          await batch.handled(commitUpTo);
          // The coordinator starts a rebalance while the second record is handled.
          if (handledOffsets.length === 1)
            fake.heartbeatError = Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
        }
        return { commitUpTo };
      },
    });
    await consumer.start();
    fake.join({ t: [0] });
    await fake.deliver('t', 0, '0', '1', '2', '3', '4');
    // A heartbeat per handled record (kafkajs sends at most one per interval) and one as the batch ends; the
    // batch ended at the rebalance instead of holding the group until its timeout.
    expect(handledOffsets).toEqual(['0', '1']);
    expect(fake.heartbeats).toBe(3);
  });

  it('stops reporting the lag of a partition given to another member', async () => {
    const { fake, kafka } = fakeKafka();
    const registry = new Registry();
    consumer = new PartitionBatchConsumer({
      kafka,
      groupId: 'g',
      topics: ['t'],
      commitIntervalMs: 0,
      metrics: consumerMetrics(registry),
      handleBatch: async (batch) => ({ commitUpTo: String(Number(batch.records.at(-1)!.offset) + 1) }),
    });
    await consumer.start();
    fake.join({ t: [0, 1] });
    await fake.deliver('t', 0, '4');
    await fake.deliver('t', 1, '7');
    const partitions = async () =>
      ((await registry.getSingleMetric('nqpf_consumer_lag')!.get()).values ?? []).map(
        (v) => v.labels.partition,
      );
    expect((await partitions()).sort()).toEqual(['0', '1']);
    fake.join({ t: [1] });
    expect(await partitions()).toEqual(['1']);
  });
});
