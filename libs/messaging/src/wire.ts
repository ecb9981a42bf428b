import type { EventEnvelope } from '@nqpf/contracts';

/** A Kafka record as this project writes it: key = center id (else stream id), value = the JSON envelope. */
export interface WireMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** The record header naming the envelope's type, so a consumer can pass over types it ignores unparsed. */
export const EVENT_TYPE_HEADER = 'nqpf-event-type';

export function toWire(event: EventEnvelope): WireMessage {
  return {
    key: event.centerId ?? event.streamId,
    value: Buffer.from(JSON.stringify(event)),
    headers: {
      'nqpf-event-id': event.id,
      [EVENT_TYPE_HEADER]: event.type,
      'nqpf-schema-version': String(event.schemaVersion),
      'nqpf-correlation-id': event.correlationId,
    },
  };
}

/** Parses a record's value; throws on anything that is not a JSON object (callers dead-letter it). */
export function fromWire(value: Buffer | null): EventEnvelope {
  if (!value) throw new Error('empty message value');
  const parsed: unknown = JSON.parse(value.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('message value is not a JSON object');
  }
  return parsed as EventEnvelope;
}
