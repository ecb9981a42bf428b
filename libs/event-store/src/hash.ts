import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@nqpf/contracts';
import { canonicalJson } from '@nqpf/contracts';

/** SHA-256 (hex) over the canonical JSON of every envelope field except `hash` itself. */
export function eventHash(event: Omit<EventEnvelope, 'hash'> | EventEnvelope): string {
  const { hash: _ignored, ...content } = event as EventEnvelope;
  return sha256(canonicalJson(content));
}

/**
 * The same hash as `eventHash` for the append path, reusing the actor's and payload's canonical JSON
 * (already written for the insert) instead of serialising them again. Keys in code-point order.
 */
export function eventHashWith(
  event: Omit<EventEnvelope, 'hash' | 'actor' | 'payload'>,
  actorJson: string,
  payloadJson: string,
): string {
  const text =
    `{"actor":${actorJson},"causationId":${JSON.stringify(event.causationId)}` +
    `,"centerId":${JSON.stringify(event.centerId)},"correlationId":${JSON.stringify(event.correlationId)}` +
    `,"id":${JSON.stringify(event.id)},"occurredAt":${JSON.stringify(event.occurredAt)}` +
    `,"payload":${payloadJson},"position":${JSON.stringify(event.position)}` +
    `,"previousHash":${JSON.stringify(event.previousHash)},"recordedAt":${JSON.stringify(event.recordedAt)}` +
    `,"schemaVersion":${JSON.stringify(event.schemaVersion)},"streamId":${JSON.stringify(event.streamId)}` +
    `,"streamVersion":${JSON.stringify(event.streamVersion)},"type":${JSON.stringify(event.type)}}`;
  return sha256(text);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
