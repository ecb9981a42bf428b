import { Kafka } from 'kafkajs';
import { deadLetterTopic } from '@nqpf/contracts';
import { createTopics, type TopicDurability } from '../kafka';
import { RenewingProducer } from '../producer';
import type { ConsumedRecord } from './consumed-record';

/** Why a record goes to the dead-letter topic: a closed set, the `reason` of nqpf_consumer_dead_lettered_total. */
export const DEAD_LETTER_REASONS = ['unparseable', 'invalid', 'unknown-type', 'handler-failed'] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface DeadLetterFailure {
  groupId: string;
  reason: DeadLetterReason;
  error: string;
  attempts: number;
  failedAt: Date;
}

export interface DeadLetterMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string>;
}

/** The original bytes and headers, untouched, plus where the record came from and why it failed. */
export function deadLetterMessage(record: ConsumedRecord, failure: DeadLetterFailure): DeadLetterMessage {
  const headers: Record<string, Buffer | string> = {};
  for (const [name, value] of Object.entries(record.headers)) if (value !== undefined) headers[name] = value;
  Object.assign(headers, {
    'nqpf-dlt-original-topic': record.topic,
    'nqpf-dlt-original-partition': String(record.partition),
    'nqpf-dlt-original-offset': record.offset,
    'nqpf-dlt-original-timestamp': record.timestamp,
    'nqpf-dlt-group': failure.groupId,
    'nqpf-dlt-reason': failure.reason,
    // Headers are bytes to Kafka but strings to most tools; keep the message readable and bounded.
    'nqpf-dlt-error': failure.error.slice(0, 4000),
    'nqpf-dlt-attempts': String(failure.attempts),
    'nqpf-dlt-failed-at': failure.failedAt.toISOString(),
  });
  return { key: record.key, value: record.value, headers };
}

/** Publishes failed records to deadLetterTopic(groupId), creating the topic on first use. */
export class DeadLetterPublisher {
  readonly topic: string;
  /** Replaced after a failed send, as the relay's is: a refused sequence would otherwise hold every partition. */
  private readonly producer: RenewingProducer;
  private ready?: Promise<void>;

  constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly partitions = 1,
    private readonly durability: TopicDurability = {},
  ) {
    this.topic = deadLetterTopic(groupId);
    this.producer = new RenewingProducer(kafka);
  }

  /** Creates the topic if missing; safe to call again after a failure. */
  async prepare(): Promise<void> {
    // Another member of the group may be creating it at the same moment; createTopics tolerates that.
    this.ready ??= createTopics(this.kafka, [this.topic], this.partitions, this.durability).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    await this.ready;
  }

  async publish(record: ConsumedRecord, failure: Omit<DeadLetterFailure, 'groupId'>): Promise<void> {
    await this.prepare();
    const message = deadLetterMessage(record, { ...failure, groupId: this.groupId });
    await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    this.ready = undefined;
  }
}
