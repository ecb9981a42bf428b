import type { KafkaMessage } from 'kafkajs';

/** A record as read from Kafka, free of kafkajs types so callers outside libs/messaging never see them. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  /** Decimal string: Kafka offsets are 64-bit. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | string | undefined>;
  /** Broker or producer timestamp, milliseconds since epoch as a decimal string. */
  timestamp: string;
}

export function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, Buffer | string | undefined> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs gives repeated headers as arrays; the last one wins, as in Kafka's own lastHeader().
    headers[name] = Array.isArray(value) ? value[value.length - 1] : value;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers,
    timestamp: message.timestamp,
  };
}

export function headerText(record: ConsumedRecord, name: string): string | undefined {
  const value = record.headers[name];
  return value === undefined ? undefined : value.toString();
}

export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
