import type { EventEnvelope } from '@nqpf/contracts';
import {
  ConsumedRecord,
  DeadLetterReason,
  EVENT_TYPE_HEADER,
  fromWire,
  headerText,
  validateEvent,
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

/** Parses and validates records against the projector's contracts; the invalid ones are set aside. */
export function parseRecords(records: ConsumedRecord[], options: ParseOptions = {}): ParsedRecords {
  const { validate, include, handles } = options;
  const rejected: RejectedRecord[] = [];
  const events: EventEnvelope[] = [];
  let lastRecordedAt: string | null = null;
  for (const record of records) {
    const type = handles && headerText(record, EVENT_TYPE_HEADER);
    if (type && !handles(type)) continue;
    let event: EventEnvelope;
    try {
      event = fromWire(record.value);
    } catch (err) {
      rejected.push({ record, reason: 'unparseable', error: (err as Error).message });
      continue;
    }
    const errors = validateEvent(event, validate);
    if (errors.length > 0) {
      rejected.push({ record, reason: 'invalid', error: errors.join('; ') });
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
