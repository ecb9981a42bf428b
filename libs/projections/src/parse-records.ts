import { knownEventsOf, knowsEvent, type EventEnvelope } from '@nqpf/contracts';
import {
  checkEvent,
  ConsumedRecord,
  DeadLetterReason,
  EVENT_TYPE_HEADER,
  fromWire,
  headerText,
  notKnown,
} from '@nqpf/messaging';
import type { Projector } from './projector';

export interface RejectedRecord {
  record: ConsumedRecord;
  reason: DeadLetterReason;
  error: string;
}

export interface ParsedRecords {
  /** Valid events that pass `include`, in record order. */
  events: EventEnvelope[];
  rejected: RejectedRecord[];
  /** recordedAt of the last valid event (included or not): how far the partition's history was read. */
  lastRecordedAt: string | null;
}

export interface ParseOptions {
  validate?: Projector['validate'];
  /** As-of: only these events are applied (the others still count as read). */
  include?: (event: EventEnvelope) => boolean;
  /**
   * The event types the model reads: a record whose type header names another type is passed over
   * unparsed. Its stream version is then not recorded either, which changes nothing: a model event is
   * applied when its version is above every version seen before it in its stream, and within a stream
   * versions only rise, so the versions of passed-over events never decide that.
   */
  handles?: (type: string) => boolean;
}

/**
 * Parses and validates records against the projector's contracts; the invalid ones are set aside. With
 * contracts, a type none of them names (a newer producer's, a renamed one), or a schema version of a type
 * it reads that none describes (a newer producer's breaking change), is set aside as `unknown-type` as the
 * services' consumers do (libs/contracts knowsEvent), not passed over unseen nor read as another version:
 * the model would lack it until a rebuild.
 */
export function parseRecords(records: ConsumedRecord[], options: ParseOptions = {}): ParsedRecords {
  const { validate, include, handles } = options;
  const known = validate && knownEventsOf(validate);
  const rejected: RejectedRecord[] = [];
  const events: EventEnvelope[] = [];
  let lastRecordedAt: string | null = null;
  const unknownType = (record: ConsumedRecord, type: string) =>
    rejected.push({ record, reason: 'unknown-type', error: notKnown('unknown-type', type, 1, 'model') });
  for (const record of records) {
    const type = handles && headerText(record, EVENT_TYPE_HEADER);
    if (type && !handles(type)) {
      // A type the model does not read: whatever its version, only an unknown type concerns it.
      if (known && knowsEvent(known, type) === 'unknown-type') unknownType(record, type);
      continue;
    }
    let event: EventEnvelope;
    try {
      event = fromWire(record.value);
    } catch (err) {
      rejected.push({ record, reason: 'unparseable', error: (err as Error).message });
      continue;
    }
    if (known && typeof event.type === 'string' && knowsEvent(known, event.type) === 'unknown-type') {
      unknownType(record, event.type);
      continue;
    }
    const refused = checkEvent(event, validate, 'model');
    if (refused) {
      rejected.push({ record, ...refused });
      continue;
    }
    lastRecordedAt = event.recordedAt;
    if (!include || include(event)) events.push(event);
  }
  return { events, rejected, lastRecordedAt };
}

/** Drops events whose stream version is at or below the known one and advances `known`. */
export function freshEvents(events: EventEnvelope[], known: Map<string, number>): EventEnvelope[] {
  const fresh: EventEnvelope[] = [];
  for (const event of events) {
    if (event.streamVersion <= (known.get(event.streamId) ?? 0)) continue;
    known.set(event.streamId, event.streamVersion);
    fresh.push(event);
  }
  return fresh;
}
