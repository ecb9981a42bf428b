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
  const publisher = new KafkaEventPublisher(kafka);
  try {
    await publisher.publish(topic, [toWire(envelope)]);
  } finally {
    await publisher.disconnect();
  }
  return envelope;
}
