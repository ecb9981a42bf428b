import type { EventEnvelope } from '@nqpf/contracts';
import { validateAgainstSchema, validateEnvelopeShape, validateEvent, PayloadSchema } from './validation';

function envelope(payload: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: '0190a0a0-0000-7000-8000-000000000001',
    type: 'CenterRecognised',
    schemaVersion: 1,
    streamId: 's-1',
    streamVersion: 1,
    position: '1',
    occurredAt: '2025-01-01T00:00:00.000Z',
    recordedAt: '2025-01-01T00:00:00.000Z',
    correlationId: 'c',
    causationId: null,
    actor: { id: 'a', role: 'system' },
    centerId: 'center-1',
    payload,
    previousHash: null,
    hash: 'h',
    ...overrides,
  };
}

describe('validateAgainstSchema', () => {
  const schema: PayloadSchema = {
    type: 'object',
    required: ['amountFen', 'grade'],
    additionalProperties: false,
    properties: {
      amountFen: { type: 'integer', minimum: 0 },
      grade: { enum: ['excellent', 'qualified', 'unqualified'] },
      tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  };

  it('accepts a payload that meets the schema', () => {
    expect(
      validateAgainstSchema({ amountFen: 100, grade: 'qualified', tags: ['a'] }, schema, 'payload'),
    ).toEqual([]);
  });

  it('names each failing field and its rule', () => {
    expect(validateAgainstSchema({ amountFen: 1.5, tags: [''], extra: 1 }, schema, 'payload')).toEqual([
      'payload.grade: is required',
      'payload.amountFen: must be integer, got number',
      'payload.tags[0]: must have at least 1 characters',
      'payload.extra: is not allowed',
    ]);
  });

  it('treats an integer as a number', () => {
    expect(validateAgainstSchema(3, { type: 'number', maximum: 3 }, 'x')).toEqual([]);
  });
});

describe('validateEvent', () => {
  it('rejects an envelope without a stream version before looking at the payload', () => {
    const bad = envelope({}, { streamVersion: 0 });
    expect(validateEvent(bad, {})).toEqual(['envelope.streamVersion: must be ≥ 1']);
  });

  it('runs the function validator registered for the type', () => {
    const errors = validateEvent(envelope({}), {
      CenterRecognised: () => ['payload.centerName: is required'],
    });
    expect(errors).toEqual(['payload.centerName: is required']);
  });

  it('turns a throwing validator into an error instead of a crash', () => {
    const errors = validateEvent(envelope({}), {
      CenterRecognised: () => {
        throw new Error('boom');
      },
    });
    expect(errors).toEqual(['validator for CenterRecognised threw: boom']);
  });

  it('accepts a type with no registered validator once the envelope is sound', () => {
    expect(validateEvent(envelope({ any: 1 }), {})).toEqual([]);
  });
});

describe('validateEnvelopeShape', () => {
  it('explains a missing payload and a malformed time', () => {
    const { payload: _p, ...rest } = envelope({});
    expect(validateEnvelopeShape({ ...rest, recordedAt: 'yesterday' })).toEqual([
      'envelope.payload: is required',
      'envelope.recordedAt: must match ^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
    ]);
  });

  it('rejects something that is not an object', () => {
    expect(validateEnvelopeShape(null)).toEqual(['envelope: must be object, got null']);
  });
});
