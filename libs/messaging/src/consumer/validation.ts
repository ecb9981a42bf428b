import {
  contractKey,
  knownEventsOf,
  knowsEvent,
  unknownEventText,
  type EventEnvelope,
  type EventKnowledge,
  type JsonType,
  type PayloadSchema,
} from '@nqpf/contracts';

/** Returns the list of errors, each naming the field and the rule; empty means valid. */
export type EnvelopeValidator = (envelope: EventEnvelope) => string[];
/** Per event type: a function, or a schema for the payload. */
export type EventValidator = EnvelopeValidator | PayloadSchema;

export function toEnvelopeValidator(validator: EventValidator): EnvelopeValidator {
  if (typeof validator === 'function') return validator;
  // Hot path of every replay: the allocation-free check first, the walk only to explain a failure.
  return (envelope) =>
    conforms(envelope.payload, validator)
      ? []
      : validateAgainstSchema(envelope.payload, validator, 'payload');
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function typeMatches(actual: JsonType, expected: JsonType): boolean {
  return actual === expected || (expected === 'number' && actual === 'integer');
}

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

/** True exactly when validateAgainstSchema finds nothing, without building a message. */
export function conforms(value: unknown, schema: PayloadSchema): boolean {
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const expected = schema.type;
    if (
      Array.isArray(expected) ? !expected.some((t) => typeMatches(actual, t)) : !typeMatches(actual, expected)
    )
      return false;
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) return false;
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return false;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) return false;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (!(name in object) || object[name] === undefined) return false;
    for (const name of Object.keys(object)) {
      const childSchema = schema.properties?.[name];
      if (childSchema) {
        if (!conforms(object[name], childSchema)) return false;
      } else if (schema.additionalProperties === false) return false;
    }
  }
  if (actual === 'array' && schema.items) {
    for (const item of value as unknown[]) if (!conforms(item, schema.items)) return false;
  }
  return true;
}

export function validateAgainstSchema(value: unknown, schema: PayloadSchema, path: string): string[] {
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const expected = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!expected.some((t) => typeMatches(actual, t))) {
      return [`${path}: must be ${expected.join(' or ')}, got ${actual}`];
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    errors.push(`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path}: must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${path}: must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(value))
      errors.push(`${path}: must match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push(`${path}: must be ≥ ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push(`${path}: must be ≤ ${schema.maximum}`);
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (!(name in object) || object[name] === undefined) errors.push(`${path}.${name}: is required`);
    }
    for (const [name, child] of Object.entries(object)) {
      const childSchema = schema.properties?.[name];
      if (childSchema) errors.push(...validateAgainstSchema(child, childSchema, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push(`${path}.${name}: is not allowed`);
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) => {
      errors.push(...validateAgainstSchema(item, schema.items!, `${path}[${i}]`));
    });
  }
  return errors;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** As the event store writes ids: a consumer's inbox and a projection key on it, so anything else is refused. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Bounds that keep a stream id and a type storable and indexable (a btree row holds ~2 700 bytes). */
const MAX_STREAM_ID = 300;
const MAX_TYPE = 100;

const ENVELOPE_SCHEMA: PayloadSchema = {
  type: 'object',
  required: [
    'id',
    'type',
    'schemaVersion',
    'streamId',
    'streamVersion',
    'occurredAt',
    'recordedAt',
    'correlationId',
    'payload',
  ],
  properties: {
    id: { type: 'string', pattern: EVENT_ID.source },
    type: { type: 'string', minLength: 1, maxLength: MAX_TYPE },
    schemaVersion: { type: 'integer', minimum: 1 },
    streamId: { type: 'string', minLength: 1, maxLength: MAX_STREAM_ID },
    streamVersion: { type: 'integer', minimum: 1 },
    position: { type: 'string', pattern: '^[0-9]+$' },
    occurredAt: { type: 'string', pattern: ISO_INSTANT.source },
    recordedAt: { type: 'string', pattern: ISO_INSTANT.source },
    // Required: every store appends with one, and a consumer reacting to the event passes it on (an append
    // without one is refused), so a record lacking it is invalid at once, not a handler failure five times.
    correlationId: { type: 'string', minLength: 1 },
    causationId: { type: ['string', 'null'] },
    centerId: { type: ['string', 'null'] },
  },
};

/** Checks the envelope every event must have, before any per-type contract. */
export function validateEnvelopeShape(value: unknown): string[] {
  // Hot path of every replay: a direct check first, the schema walk only to explain a failure.
  if (looksSound(value as Record<string, unknown>)) return [];
  return validateAgainstSchema(value, ENVELOPE_SCHEMA, 'envelope');
}

function looksSound(e: Record<string, unknown>): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.id === 'string' &&
    EVENT_ID.test(e.id) &&
    typeof e.type === 'string' &&
    e.type.length > 0 &&
    e.type.length <= MAX_TYPE &&
    Number.isInteger(e.schemaVersion) &&
    (e.schemaVersion as number) >= 1 &&
    typeof e.streamId === 'string' &&
    e.streamId.length > 0 &&
    e.streamId.length <= MAX_STREAM_ID &&
    Number.isInteger(e.streamVersion) &&
    (e.streamVersion as number) >= 1 &&
    (e.position === undefined || (typeof e.position === 'string' && /^[0-9]+$/.test(e.position))) &&
    typeof e.occurredAt === 'string' &&
    ISO_INSTANT.test(e.occurredAt) &&
    typeof e.recordedAt === 'string' &&
    ISO_INSTANT.test(e.recordedAt) &&
    typeof e.correlationId === 'string' &&
    e.correlationId.length > 0 &&
    (e.causationId === undefined || e.causationId === null || typeof e.causationId === 'string') &&
    (e.centerId === undefined || e.centerId === null || typeof e.centerId === 'string') &&
    e.payload !== undefined
  );
}

/**
 * Envelope shape, then the validator registered for the event's type and schema version: `validators[type]`
 * describes version 1, `validators['<type>@v<N>']` version N. A version of a known type that no validator
 * describes is refused, never read as another version (checkEvent: as an unknown type); a type without
 * validators passes at version 1 only.
 */
export function validateEvent(
  envelope: EventEnvelope,
  validators: Record<string, EventValidator> | undefined,
): string[] {
  const shape = validateEnvelopeShape(envelope);
  return shape.length > 0 ? shape : contractErrors(envelope, validators);
}

/**
 * What the contracts know of the event (knowsEvent). A type they do not name, or no contracts, pass at
 * version 1 only, as they always did: a later version is a breaking change of a type whose first layout the
 * reader at least assumed, so it is not known either (a reader without contracts is no exception).
 */
function knowledgeOf(
  validators: Record<string, EventValidator> | undefined,
  type: string,
  schemaVersion: number,
): EventKnowledge {
  const knowledge = validators ? knowsEvent(knownEventsOf(validators), type, schemaVersion) : 'unknown-type';
  return knowledge === 'unknown-type' && schemaVersion > 1 ? 'unknown-version' : knowledge;
}

/** validateEvent after the envelope's shape. */
function contractErrors(
  envelope: EventEnvelope,
  validators: Record<string, EventValidator> | undefined,
): string[] {
  const { type, schemaVersion } = envelope;
  const knowledge = knowledgeOf(validators, type, schemaVersion);
  if (knowledge === 'unknown-version')
    return [`schemaVersion: ${type} version ${schemaVersion} is not one this consumer reads`];
  const validator = knowledge === 'known' ? validators?.[contractKey(type, schemaVersion)] : undefined;
  if (!validator) return [];
  try {
    return toEnvelopeValidator(validator)(envelope);
  } catch (err) {
    return [`validator for ${envelope.type} threw: ${(err as Error).message}`];
  }
}

/** Why a reader sets a record aside: what the dead letter says. */
export interface EventRefusal {
  reason: 'invalid' | 'unknown-type';
  error: string;
}

/**
 * What a reader (a consumer, a read model) makes of a parsed event of a type it reads: nothing (it reads
 * it), or why it sets it aside. As validateEvent, except that a schema version its contracts do not
 * describe (a newer producer's breaking change) is `unknown-type`, as a type they do not name is: the
 * record is not wrong, this reader is older than it (redeliver it once the reader knows it). `byShape`: the
 * reader reads every event by its shape, not by a contract (the audit trail), so such a version is handed
 * to it unvalidated, as a type none names is; the versions its contracts describe are still checked.
 */
export function checkEvent(
  envelope: EventEnvelope,
  validators: Record<string, EventValidator> | undefined,
  reader: 'consumer' | 'model',
  byShape = false,
): EventRefusal | undefined {
  const shape = validateEnvelopeShape(envelope);
  if (shape.length > 0) return { reason: 'invalid', error: shape.join('; ') };
  const { type, schemaVersion } = envelope;
  if (knowledgeOf(validators, type, schemaVersion) === 'unknown-version')
    return byShape
      ? undefined
      : { reason: 'unknown-type', error: notKnown('unknown-version', type, schemaVersion, reader) };
  const errors = contractErrors(envelope, validators);
  return errors.length > 0 ? { reason: 'invalid', error: errors.join('; ') } : undefined;
}

/** The dead letter's error for an event its reader does not know, naming the type (and the version). */
export function notKnown(
  knowledge: Exclude<EventKnowledge, 'known'>,
  type: string,
  schemaVersion: number,
  reader: 'consumer' | 'model',
): string {
  return knowledge === 'unknown-type'
    ? `${type} is not an event type this ${reader}'s contracts know`
    : `${unknownEventText(knowledge, type, schemaVersion)} is not one this ${reader}'s contracts know`;
}
