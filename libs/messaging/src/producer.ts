import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import type { WireMessage } from './wire';

/** The port the outbox relay publishes through. */
export interface EventPublisher {
  /** Resolves only once Kafka has acknowledged every message (acks = all). */
  publish(topic: string, messages: WireMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Idempotent producer: the broker drops a retried batch it already has, and with at most 5 in-flight
 * requests order per partition is kept (KIP-98).
 */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
    });
  }

  async publish(topic: string, messages: WireMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // A failed connect is not kept: the next publish connects again (else the relay would fail at once for
    // good, however often its lease changed hands).
    this.connected ??= this.producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    await this.connected;
    await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}
