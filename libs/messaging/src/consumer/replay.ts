import { Kafka } from 'kafkajs';
import { uuidv7 } from '@nqpf/contracts';
import { ConsumedRecord, toConsumedRecord } from './consumed-record';

export interface ReplayOptions {
  kafka: Kafka;
  topics: string[];
  /**
   * Start of the throwaway consumer group's id (a unique suffix is added): inside the caller's own group
   * namespace, e.g. `nqpf.registry.replay.`, which its Kafka ACLs allow (docs/operations.md).
   */
  groupPrefix: string;
  /**
   * Called per partition batch, one at a time and in offset order within a partition; different
   * partitions run concurrently. The replay ends when every call has finished.
   */
  handleBatch(records: ConsumedRecord[]): Promise<void>;
  /** Exclusive end offset per topic and partition; default the high watermark when the replay starts. */
  endOffsets?: Record<string, Record<number, string>>;
  partitionsConsumedConcurrently?: number;
  /**
   * Read from the earliest record kept, even when older ones are gone (a dead-letter topic, whose
   * retention is the operator's). Otherwise a truncated partition is a TruncatedTopicError.
   */
  earliestKept?: boolean;
}

export interface ReplayResult {
  /** The exclusive end offset reached per topic and partition. */
  endOffsets: Record<string, Record<number, string>>;
  records: number;
}

/**
 * A partition whose first records are gone (retention, or records deleted by hand): a replay would build
 * its models without them and say nothing. Topics are created to keep every record (createTopics).
 */
export class TruncatedTopicError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly earliestOffset: string,
  ) {
    super(
      `${topic} partition ${partition} starts at offset ${earliestOffset}: the records before it were deleted, so a replay from offset zero cannot be complete (topics must keep every record: docs/operations.md)`,
    );
    this.name = 'TruncatedTopicError';
  }
}

/**
 * Reads every topic from offset zero up to the end offsets fixed at the start, then stops. Uses a
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
        if (BigInt(p.low) > 0n && !options.earliestKept)
          throw new TruncatedTopicError(topic, p.partition, p.low);
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

  const groupId = `${options.groupPrefix}${uuidv7()}`;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 2 << 20,
    // Short long-polls: once the end is reached, disconnect waits for the fetch in flight.
    maxWaitTimeInMs: 100,
  });
  const total = remaining.size;
  const finished = new Set<string>();
  const queues = new Map<string, PartitionQueue>();
  let failed = false;
  let settle!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  // A crash kafkajs does not restart from ends the replay with its error (it would wait for ever).
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) {
      failed = true;
      settle(event.payload.error);
    }
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      // Fetching and handling overlap: a batch is queued behind its partition's previous one and the
      // fetch moves on (nothing is committed, so resolving early is safe); a full queue makes it wait.
      eachBatch: async ({ batch, resolveOffset }) => {
        const key = `${batch.topic}:${batch.partition}`;
        if (!remaining.has(key) || failed) return;
        const end = BigInt(endOffsets[batch.topic]![batch.partition]!);
        const reachedEnd = BigInt(batch.lastOffset()) + 1n >= end;
        const inRange = reachedEnd ? batch.messages.filter((m) => BigInt(m.offset) < end) : batch.messages;
        const wanted = inRange.map((m) => toConsumedRecord(batch.topic, batch.partition, m));
        if (reachedEnd) remaining.delete(key);
        if (wanted.length > 0) resolveOffset(wanted[wanted.length - 1]!.offset);
        const queued = (queues.get(key) ?? { tail: Promise.resolve(), depth: 0 }) as PartitionQueue;
        queues.set(key, queued);
        queued.depth++;
        const work = queued.tail.then(async () => {
          if (failed) return;
          if (wanted.length > 0) await options.handleBatch(wanted);
          records += wanted.length;
        });
        queued.tail = work.then(
          () => {
            queued.depth--;
            if (reachedEnd) finished.add(key);
            if (finished.size === total) settle();
          },
          (err: Error) => {
            failed = true;
            settle(err);
          },
        );
        if (queued.depth > maxQueuedBatches) await queued.tail;
      },
    });
    await done;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    // The throwaway group holds no offsets; removing it is housekeeping a replay does not wait for, but a
    // process about to exit (the CLI) does: replayCleanupsDone.
    const cleanup: Promise<void> = deleteGroup(kafka, groupId).finally(() => cleanups.delete(cleanup));
    cleanups.add(cleanup);
  }
  return { endOffsets, records };
}

interface PartitionQueue {
  tail: Promise<void>;
  depth: number;
}

const maxQueuedBatches = 2;

const cleanups = new Set<Promise<void>>();

/** Resolves once the throwaway groups of the replays run so far are deleted (before a process exits). */
export async function replayCleanupsDone(): Promise<void> {
  await Promise.all([...cleanups]);
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch {
    // Best effort; an empty group expires on its own.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
