import { ROLES, type Actor, type EventEnvelope, type NewEvent } from '@nqpf/contracts';
import { EventStoreInputError } from './errors';
import { validateExpectedVersion, type ExpectedVersion } from './expected-version';

/** Who and what caused the append; copied into every event's envelope. */
export interface AppendOptions {
  /** Default 'any'. */
  expectedVersion?: ExpectedVersion;
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  /** Used for events that do not name their own center. */
  centerId?: string | null;
}

export interface AppendResult {
  /** The stream's version after the append: pass it as the next expectedVersion. */
  nextExpectedVersion: number;
  events: EventEnvelope[];
}

export function validateAppend(streamId: unknown, events: unknown, options: AppendOptions): ExpectedVersion {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200) {
    throw new EventStoreInputError('streamId', 'must be a non-empty string of at most 200 characters');
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new EventStoreInputError('events', 'must be a non-empty array');
  }
  (events as NewEvent[]).forEach((e, i) => {
    if (typeof e?.type !== 'string' || e.type.length === 0) {
      throw new EventStoreInputError(`events[${i}].type`, 'must be a non-empty string');
    }
    if (!Number.isSafeInteger(e.schemaVersion) || e.schemaVersion < 1) {
      throw new EventStoreInputError(`events[${i}].schemaVersion`, 'must be a whole number ≥ 1');
    }
    if (e.payload === undefined) throw new EventStoreInputError(`events[${i}].payload`, 'is required');
    // Hashed as given and stored as PostgreSQL prints a uuid: any other spelling would read back as tampered.
    if (e.id !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(e.id)) {
      throw new EventStoreInputError(`events[${i}].id`, 'must be a UUID in lowercase with hyphens');
    }
    if (e.occurredAt !== undefined && Number.isNaN(Date.parse(e.occurredAt))) {
      throw new EventStoreInputError(`events[${i}].occurredAt`, 'must be an ISO 8601 date-time');
    }
  });
  const actor = options?.actor;
  if (typeof actor?.id !== 'string' || actor.id.length === 0) {
    throw new EventStoreInputError('actor.id', 'must be a non-empty string');
  }
  if (!ROLES.includes(actor.role)) {
    throw new EventStoreInputError('actor.role', `must be one of ${ROLES.join(', ')}`);
  }
  if (typeof options.correlationId !== 'string' || options.correlationId.length === 0) {
    throw new EventStoreInputError('correlationId', 'must be a non-empty string');
  }
  return validateExpectedVersion(options.expectedVersion ?? 'any');
}
