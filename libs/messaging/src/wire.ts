import type { EventEnvelope } from '@nqpf/contracts';

/** A Kafka record as this project writes it: key = center id (else stream id), value = the JSON envelope. */
export interface WireMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** The record header naming the envelope's type, so a consumer can pass over types it ignores unparsed. */
export const EVENT_TYPE_HEADER = 'nqpf-event-type';

/**
 * The record header carrying the store's seal of the event (`<keyId>:<signature>`), on the last event of
 * each append: a store refilled from Kafka gets its seals back (docs/event-store.md, "Seals").
 */
export const SEAL_HEADER = 'nqpf-seal';

export interface WireSeal {
  keyId: string;
  signature: string;
}

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

/** The message with the store's seal of its event in SEAL_HEADER (unchanged without one). */
export function withSeal(message: WireMessage, seal: WireSeal | undefined): WireMessage {
  return seal
    ? { ...message, headers: { ...message.headers, [SEAL_HEADER]: `${seal.keyId}:${seal.signature}` } }
    : message;
}

/** The seal a record carries in its SEAL_HEADER value, if any (malformed: none). */
export function wireSeal(header: string | undefined): WireSeal | undefined {
  const match = header === undefined ? null : /^([0-9a-f]{16}):([A-Za-z0-9+/=]+)$/.exec(header);
  return match ? { keyId: match[1]!, signature: match[2]! } : undefined;
}

/**
 * Parses a record's value; throws on anything that is not a JSON object, or that holds text PostgreSQL
 * cannot store (callers dead-letter it; stored, it would fail every retry and hold its partition).
 */
export function fromWire(value: Buffer | null): EventEnvelope {
  if (!value) throw new Error('empty message value');
  const text = value.toString('utf8');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('message value is not a JSON object');
  }
  // Only an escape can put these in a JSON string; most records hold no escape at all.
  if (text.includes('\\u') && UNSTORABLE_ESCAPE.test(text))
    throw new Error(
      'message value holds a NUL or an unpaired UTF-16 surrogate, which PostgreSQL cannot store',
    );
  return parsed as EventEnvelope;
}

/**
 * \u0000, an unpaired high surrogate escape, or a low one after no high one — not counting what follows an
 * escaped backslash (the text "\\u0000" is a backslash and five characters).
 */
const UNSTORABLE_ESCAPE =
  /(?<!\\)(?:\\\\)*\\u(?:0000|d[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2}))|(?<!\\ud[89ab][0-9a-f]{2})(?<!\\)(?:\\\\)*\\ud[c-f][0-9a-f]{2}/i;
