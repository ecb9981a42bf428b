import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@nqpf/contracts';
import { canonicalJson } from '@nqpf/contracts';

/** SHA-256 (hex) over the canonical JSON of every envelope field except `hash` itself. */
export function eventHash(event: Omit<EventEnvelope, 'hash'> | EventEnvelope): string {
  const { hash: _ignored, ...content } = event as EventEnvelope;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}
