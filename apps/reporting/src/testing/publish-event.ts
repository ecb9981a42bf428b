import type { Kafka } from 'kafkajs';
import { EventEnvelope, uuidv7 } from '@nqpf/contracts';
import { KafkaEventPublisher, toWire } from '@nqpf/messaging';

/** Test seam: publishes an event as another service would (e.g. review.center-recognized). */
export async function publishEvent(
  kafka: Kafka,
  topic: string,
  type: string,
  payload: { centerId: string } & Record<string, unknown>,
): Promise<EventEnvelope> {
  const now = new Date().toISOString();
  const envelope: EventEnvelope = {
    id: uuidv7(),
    type,
    schemaVersion: 1,
    streamId: `test-${payload.centerId}`,
    streamVersion: 1,
    position: '1',
    occurredAt: now,
    recordedAt: now,
    correlationId: uuidv7(),
    causationId: null,
    actor: { id: 'test', role: 'system' },
    centerId: payload.centerId,
    payload,
    previousHash: null,
    hash: '0'.repeat(64),
  };
  // A topic created a moment ago may not be known to the broker's metadata yet: retry for a while.
  for (let attempt = 1; ; attempt += 1) {
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, [toWire(envelope)]);
      return envelope;
    } catch (err) {
      if (attempt >= 30) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await publisher.disconnect().catch(() => undefined);
    }
  }
}
