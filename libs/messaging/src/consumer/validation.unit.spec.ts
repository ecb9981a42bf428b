import fc from 'fast-check';
import { EventPayloadSchemas, type EventEnvelope, type PayloadSchema } from '@nqpf/contracts';
import {
  checkEvent,
  conforms,
  validateAgainstSchema,
  validateEnvelopeShape,
  validateEvent,
} from './validation';

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

  it('checks each schema version against its own validator, and refuses a version none describes', () => {
    const v1: PayloadSchema = { type: 'object', required: ['centerId'] };
    const v2: PayloadSchema = { type: 'object', required: ['center'] };
    const v2Event = envelope({ center: { id: 'c' } }, { schemaVersion: 2 });
    // Read as version 1, this version 2 record would fail for the wrong reason, or pass with another meaning.
    expect(validateEvent(v2Event, { CenterRecognised: v1 })).toEqual([
      'schemaVersion: CenterRecognised version 2 is not one this consumer reads',
    ]);
    expect(validateEvent(v2Event, { CenterRecognised: v1, 'CenterRecognised@v2': v2 })).toEqual([]);
    expect(validateEvent(envelope({ centerId: 'c' }), { 'CenterRecognised@v2': v2 })).toEqual([
      'schemaVersion: CenterRecognised version 1 is not one this consumer reads',
    ]);
    // No contract names the type: version 1 passes unchecked, as before; a later one is not read blind.
    expect(validateEvent(envelope({ any: 1 }), { OtherType: v1 })).toEqual([]);
    expect(validateEvent(v2Event, { OtherType: v1 })).toEqual([
      'schemaVersion: CenterRecognised version 2 is not one this consumer reads',
    ]);
    expect(validateEvent(v2Event, undefined)).toEqual([
      'schemaVersion: CenterRecognised version 2 is not one this consumer reads',
    ]);
  });
});

describe('checkEvent: why a reader refuses an event, if it does', () => {
  const v1: PayloadSchema = { type: 'object', required: ['centerId'] };
  const validators = { CenterRecognised: v1, OtherType: v1 };

  it('reads a sound event of a version its contracts describe, older ones included', () => {
    const v2: PayloadSchema = { type: 'object', required: ['center'] };
    const both = { CenterRecognised: v1, 'CenterRecognised@v2': v2 };
    expect(checkEvent(envelope({ centerId: 'c' }), both, 'consumer')).toBeUndefined();
    expect(checkEvent(envelope({ center: {} }, { schemaVersion: 2 }), both, 'consumer')).toBeUndefined();
  });

  it("sets a schema version of a known type that no contract describes aside as unknown-type, as an unknown type (a newer release's), naming type and version", () => {
    expect(checkEvent(envelope({ centerId: 'c' }, { schemaVersion: 99 }), validators, 'consumer')).toEqual({
      reason: 'unknown-type',
      error: "schema version 99 of the event type CenterRecognised is not one this consumer's contracts know",
    });
  });

  it('lets only version 1 of a type it has no contract for pass (none named in its contracts, or no contracts)', () => {
    const unnamed = envelope({ centerId: 'c' }, { type: 'Unnamed', schemaVersion: 99 });
    const refused = {
      reason: 'unknown-type',
      error: "schema version 99 of the event type Unnamed is not one this consumer's contracts know",
    };
    expect(checkEvent(unnamed, validators, 'consumer')).toEqual(refused);
    expect(checkEvent(unnamed, undefined, 'consumer')).toEqual(refused);
    expect(checkEvent({ ...unnamed, schemaVersion: 1 }, validators, 'consumer')).toBeUndefined();
    expect(checkEvent({ ...unnamed, schemaVersion: 1 }, undefined, 'model')).toBeUndefined();
  });

  it('hands a reader that reads by shape (the audit trail) a type or version no contract describes, unvalidated, as a new type', () => {
    const newer = envelope({ anything: true }, { schemaVersion: 2 });
    expect(checkEvent(newer, validators, 'consumer', true)).toBeUndefined();
    expect(checkEvent({ ...newer, type: 'Unnamed' }, validators, 'consumer', true)).toBeUndefined();
    // The versions its contracts describe are still checked.
    expect(checkEvent(envelope({}), validators, 'consumer', true)).toMatchObject({ reason: 'invalid' });
  });

  it('finds a bad envelope or payload invalid, naming the field — a schema version that is no whole number too', () => {
    expect(checkEvent(envelope({}), validators, 'consumer')).toEqual({
      reason: 'invalid',
      error: 'payload.centerId: is required',
    });
    const odd = envelope({ centerId: 'c' }, { schemaVersion: '99' as unknown as number });
    expect(checkEvent(odd, validators, 'consumer')).toMatchObject({ reason: 'invalid' });
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

  it('refuses ids, types and stream ids the inbox and projections could not store (they would hold a partition)', () => {
    expect(validateEnvelopeShape(envelope({}, { id: 'not-a-uuid' }))).toEqual([
      expect.stringContaining('envelope.id: must match'),
    ]);
    expect(validateEnvelopeShape(envelope({}, { id: '0190A0A0-0000-7000-8000-000000000001' }))).toHaveLength(
      1,
    );
    expect(validateEnvelopeShape(envelope({}, { streamId: 's'.repeat(301) }))).toEqual([
      'envelope.streamId: must have at most 300 characters',
    ]);
    expect(validateEnvelopeShape(envelope({}, { type: 't'.repeat(101) }))).toEqual([
      'envelope.type: must have at most 100 characters',
    ]);
  });
});

describe('conforms', () => {
  // Every published contract, and values that are often near them: conforms must agree with the walk.
  const schemas = Object.values(EventPayloadSchemas).filter(
    (v): v is PayloadSchema => typeof v !== 'function',
  );
  const nearValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, 0, -1, 1.5, 2 ** 53, '', 'x', '2026-01-01', '合格', 'CNY', '100'),
      fc.string(),
      fc.integer(),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('centerId', 'amountFen', 'year', 'grade', 'reason', 'x'), tie('value'), {
        maxKeys: 4,
      }),
    ),
  })).value;

  it('agrees with validateAgainstSchema on every contract, for random and mutated payloads', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schemas), nearValue, (schema, value) => {
        expect(conforms(value, schema)).toBe(validateAgainstSchema(value, schema, 'p').length === 0);
      }),
      { numRuns: 3000 },
    );
  });

  const keys = fc.constantFrom('a', 'b', 'c');
  const schema: fc.Arbitrary<PayloadSchema> = fc.letrec<{ schema: PayloadSchema }>((tie) => ({
    schema: fc.record(
      {
        type: fc.oneof(
          fc.constantFrom<PayloadSchema['type']>('object', 'array', 'string', 'number', 'integer', 'null'),
          fc.constant<PayloadSchema['type']>(['string', 'null']),
        ),
        required: fc.array(keys, { maxLength: 2 }),
        properties: fc.dictionary(keys, tie('schema'), { maxKeys: 2 }),
        additionalProperties: fc.boolean(),
        items: tie('schema'),
        enum: fc.constant(['x', 1, null]),
        minLength: fc.nat(2),
        maxLength: fc.nat(3),
        pattern: fc.constant('^[a-z]+$'),
        minimum: fc.integer({ min: -1, max: 1 }),
        maximum: fc.integer({ min: 0, max: 2 }),
      },
      { requiredKeys: [] },
    ),
  })).schema;
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, 0, 1, 2, 1.5, -1, '', 'x', 'ab', 'A1'),
      fc.array(tie('value'), { maxLength: 2 }),
      fc.dictionary(keys, tie('value'), { maxKeys: 3 }),
    ),
  })).value;

  it('agrees with validateAgainstSchema on random schemas and values', () => {
    fc.assert(
      fc.property(schema, value, (s, v) => {
        expect(conforms(v, s)).toBe(validateAgainstSchema(v, s, 'p').length === 0);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees on the payloads of real contract examples, each with one field dropped or retyped', () => {
    for (const [type, schema] of Object.entries(EventPayloadSchemas)) {
      if (typeof schema === 'function' || !schema.properties) continue;
      const example = Object.fromEntries(
        Object.entries(schema.properties).map(([k, s]) => [
          k,
          s.enum?.[0] ?? (s.type === 'integer' ? 1 : 'x'),
        ]),
      );
      for (const name of Object.keys(example)) {
        const { [name]: _dropped, ...without } = example;
        for (const value of [example, without, { ...example, [name]: [] }])
          expect([type, conforms(value, schema)]).toEqual([
            type,
            validateAgainstSchema(value, schema, 'p').length === 0,
          ]);
      }
    }
  });
});
