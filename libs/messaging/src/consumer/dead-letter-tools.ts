import type { Kafka } from 'kafkajs';
import { deadLetterTopic } from '@nqpf/contracts';
import type { ConsumedRecord } from './consumed-record';
import { replayTopics } from './replay';

/** A record in a group's dead-letter topic, with where it came from and why it failed. */
export interface DeadLetter {
  /** Its offset in the dead-letter topic (one partition per topic): what `redeliver` is given. */
  offset: string;
  originalTopic: string;
  originalPartition: string;
  originalOffset: string;
  reason: string;
  error: string;
  attempts: string;
  failedAt: string;
  /** The event's id and type when the value is an envelope, for finding it in the stores and the trail. */
  eventId: string | null;
  eventType: string | null;
  record: ConsumedRecord;
}

const DLT_HEADER = 'nqpf-dlt-';

/** `group` has no dead-letter topic (a misspelt group, or none of this system's): nothing to read. */
export class NoDeadLetterTopicError extends Error {
  override readonly name = 'NoDeadLetterTopicError';
  constructor(
    readonly topic: string,
    /** The groups that do have one, as far as the caller may see topics. */
    readonly groups: string[],
  ) {
    super(`no dead-letter topic ${topic}`);
  }
}

/** Throws NoDeadLetterTopicError unless `group`'s dead-letter topic exists (checked once, no retries). */
async function requireDeadLetterTopic(kafka: Kafka, group: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    const topic = deadLetterTopic(group);
    if (!topics.includes(topic))
      throw new NoDeadLetterTopicError(
        topic,
        topics
          .filter((t) => t.endsWith('.dlt'))
          .map((t) => t.slice(0, -'.dlt'.length))
          .sort(),
      );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every record of `group`'s dead-letter topic, read from offset zero through a throwaway consumer group
 * named under `groupPrefix` (inside the caller's ACL namespace); nothing is committed or changed. A group
 * without a dead-letter topic is a NoDeadLetterTopicError at once (reading a missing topic would retry for
 * a minute and more).
 */
export async function readDeadLetters(
  kafka: Kafka,
  group: string,
  groupPrefix: string,
): Promise<DeadLetter[]> {
  await requireDeadLetterTopic(kafka, group);
  const letters: DeadLetter[] = [];
  await replayTopics({
    kafka,
    topics: [deadLetterTopic(group)],
    groupPrefix,
    partitionsConsumedConcurrently: 1,
    earliestKept: true,
    handleBatch: async (records) => {
      for (const record of records) letters.push(deadLetterOf(record));
    },
  });
  return letters.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

function deadLetterOf(record: ConsumedRecord): DeadLetter {
  const header = (name: string) => text(record.headers[`${DLT_HEADER}${name}`]);
  let envelope: { id?: unknown; type?: unknown } = {};
  try {
    envelope = JSON.parse(record.value?.toString('utf8') ?? '') as typeof envelope;
  } catch {
    // An unparseable record is one reason for a dead letter: shown without id and type.
  }
  return {
    offset: record.offset,
    originalTopic: header('original-topic'),
    originalPartition: header('original-partition'),
    originalOffset: header('original-offset'),
    reason: header('reason'),
    error: header('error'),
    attempts: header('attempts'),
    failedAt: header('failed-at'),
    eventId: typeof envelope.id === 'string' ? envelope.id : null,
    eventType: typeof envelope.type === 'string' ? envelope.type : null,
    record,
  };
}

function text(value: Buffer | string | undefined): string {
  return value === undefined ? '' : value.toString();
}

/**
 * Produces each dead letter's original bytes back to its original topic, with its key (so it reaches the
 * same partition) and its original headers (the dead-letter ones left off). Every group of that topic
 * reads it again: those that applied the event drop it as a duplicate; the failed one applies it now.
 */
export async function redeliver(kafka: Kafka, letters: DeadLetter[]): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (const letter of letters) {
      if (!letter.originalTopic)
        throw new Error(`dead letter at offset ${letter.offset} names no original topic`);
      const headers: Record<string, Buffer | string> = {};
      for (const [name, value] of Object.entries(letter.record.headers))
        if (value !== undefined && !name.startsWith(DLT_HEADER)) headers[name] = value;
      await producer.send({
        topic: letter.originalTopic,
        acks: -1,
        messages: [{ key: letter.record.key, value: letter.record.value, headers }],
      });
    }
  } finally {
    await producer.disconnect();
  }
}
