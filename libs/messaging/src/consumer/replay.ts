import { Kafka } from 'kafkajs';
import { uuidv7 } from '@nqpf/contracts';
import { ConsumedRecord, toConsumedRecord } from './consumed-record';

export interface ReplayOptions {
  kafka: Kafka;
  topics: string[];
  /** Called per partition batch, in offset order within a partition; the replay waits for it. */
  handleBatch(records: ConsumedRecord[]): Promise<void>;
  /** Exclusive end offset per topic and partition; default the high watermark when the replay starts. */
  endOffsets?: Record<string, Record<number, string>>;
  partitionsConsumedConcurrently?: number;
}

export interface ReplayResult {
  /** The exclusive end offset reached per topic and partition. */
  endOffsets: Record<string, Record<number, string>>;
  records: number;
}

/**
 * Reads every topic from its earliest offset up to the end offsets fixed at the start, then stops. Uses a
 * throwaway consumer group (deleted afterwards) that commits nothing, so live groups are never touched.
 */
export async function replayTopics(options: ReplayOptions): Promise<ReplayResult> {
  const { kafka, topics } = options;
  const admin = kafka.admin();
  await admin.connect();
  const endOffsets: Record<string, Record<number, string>> = {};
  const remaining = new Set<string>();
  try {
    for (const topic of topics) {
      endOffsets[topic] = {};
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const limit = options.endOffsets?.[topic]?.[p.partition];
        const end = limit !== undefined && BigInt(limit) < BigInt(p.high) ? limit : p.high;
        endOffsets[topic][p.partition] = end;
        if (BigInt(end) > BigInt(p.low)) remaining.add(`${topic}:${p.partition}`);
      }
    }
  } finally {
    await admin.disconnect();
  }
  let records = 0;
  if (remaining.size === 0) return { endOffsets, records };

  const groupId = `nqpf-replay-${uuidv7()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let settle!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset }) => {
        const key = `${batch.topic}:${batch.partition}`;
        if (!remaining.has(key)) return;
        const end = BigInt(endOffsets[batch.topic]![batch.partition]!);
        const wanted = batch.messages
          .filter((m) => BigInt(m.offset) < end)
          .map((m) => toConsumedRecord(batch.topic, batch.partition, m));
        try {
          if (wanted.length > 0) await options.handleBatch(wanted);
        } catch (err) {
          settle(err as Error);
          return;
        }
        records += wanted.length;
        if (wanted.length > 0) resolveOffset(wanted[wanted.length - 1]!.offset);
        if (BigInt(batch.lastOffset()) + 1n >= end) {
          remaining.delete(key);
          if (remaining.size === 0) settle();
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => cleanup.disconnect().catch(() => undefined));
  }
  return { endOffsets, records };
}
