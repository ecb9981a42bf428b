import fc from 'fast-check';
import type { EventEnvelope } from '@nqpf/contracts';
import { canonicalJson } from '@nqpf/contracts';
import { eventHash, eventHashWith } from './hash';

const envelope = fc.record({
  id: fc.uuid(),
  type: fc.string({ minLength: 1 }),
  schemaVersion: fc.integer({ min: 1, max: 100 }),
  streamId: fc.string({ minLength: 1 }),
  streamVersion: fc.integer({ min: 1 }),
  position: fc.bigInt({ min: 1n, max: 2n ** 62n }).map(String),
  occurredAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  recordedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  correlationId: fc.string({ minLength: 1 }),
  causationId: fc.option(fc.string(), { nil: null }),
  actor: fc.record({
    id: fc.string({ minLength: 1 }),
    role: fc.constant('operator' as const),
    district: fc.option(fc.string(), { nil: null }),
  }),
  centerId: fc.option(fc.string(), { nil: null }),
  payload: fc.jsonValue(),
  previousHash: fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
});

describe('event hash', () => {
  it('is the same on the append fast path as over the canonical envelope', () => {
    fc.assert(
      fc.property(envelope, (e) => {
        const content = JSON.parse(JSON.stringify(e)) as Omit<EventEnvelope, 'hash'>;
        expect(eventHashWith(content, canonicalJson(content.actor), canonicalJson(content.payload))).toBe(
          eventHash(content),
        );
      }),
    );
  });

  it('changes when any field changes', () => {
    fc.assert(
      fc.property(envelope, fc.string({ minLength: 1 }), (e, suffix) => {
        const content = e as Omit<EventEnvelope, 'hash'>;
        expect(eventHash({ ...content, type: content.type + suffix })).not.toBe(eventHash(content));
        expect(eventHash({ ...content, streamVersion: content.streamVersion + 1 })).not.toBe(
          eventHash(content),
        );
      }),
    );
  });
});
