import { CompressionTypes, Kafka, Producer, ProducerRecord } from 'kafkajs';
import type { WireMessage } from './wire';

/** The port the outbox relay publishes through. */
export interface EventPublisher {
  /** Resolves only once Kafka has acknowledged every message (acks = all). */
  publish(topic: string, messages: WireMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Idempotent producer: the broker drops a retried batch it already has, and with at most 5 in-flight
 * requests order per partition is kept (KIP-98). A send that fails replaces the producer: kafkajs keeps an
 * idempotent producer's sequence numbers after a broker restart, and one the broker then refuses ("out of
 * order sequence number", kafkajs#598) fails every send after it, for good. The new one has a new producer
 * id; a batch the old one had delivered is sent again, a duplicate the consumers drop.
 */
export class RenewingProducer {
  private producer: Producer;
  private connected?: Promise<void>;

  constructor(private readonly kafka: Kafka) {
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
  }

  /** Resolves once Kafka has acknowledged the record as `record.acks` asks. */
  async send(record: ProducerRecord): Promise<void> {
    const producer = this.producer;
    // A failed connect is not kept: the next send connects again (else the relay would fail at once for
    // good, however often its lease changed hands).
    this.connected ??= producer.connect().catch((err: unknown) => {
      this.connected = undefined;
      throw err;
    });
    await this.connected;
    try {
      await producer.send(record);
    } catch (err) {
      if (this.producer === producer) {
        this.producer = this.newProducer();
        this.connected = undefined;
        producer.disconnect().catch(() => undefined);
      }
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
    this.connected = undefined;
  }
}

/** The outbox relay's publisher: every message acknowledged by all in-sync replicas. */
export class KafkaEventPublisher implements EventPublisher {
  private readonly producer: RenewingProducer;

  constructor(kafka: Kafka) {
    this.producer = new RenewingProducer(kafka);
  }

  async publish(topic: string, messages: WireMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
