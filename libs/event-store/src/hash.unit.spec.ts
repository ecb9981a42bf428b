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
    // Every envelope key but `hash` itself is hashed, `position` included (a moved event breaks its hash).
    // The mapped type makes a new envelope field a compile error here until it is added.
    const shift = (iso: string) => new Date(Date.parse(iso) + (Date.parse(iso) > 0 ? -1 : 1)).toISOString();
    const changes: {
      [K in keyof Omit<EventEnvelope, 'hash'>]-?: (e: Omit<EventEnvelope, 'hash'>) => unknown;
    } = {
      id: (e) => `${e.id}x`,
      type: (e) => `${e.type}x`,
      schemaVersion: (e) => e.schemaVersion + 1,
      streamId: (e) => `${e.streamId}x`,
      streamVersion: (e) => e.streamVersion + 1,
      position: (e) => String(BigInt(e.position) + 1n),
      occurredAt: (e) => shift(e.occurredAt),
      recordedAt: (e) => shift(e.recordedAt),
      correlationId: (e) => `${e.correlationId}x`,
      causationId: (e) => (e.causationId === null ? 'x' : null),
      actor: (e) => ({ ...e.actor, id: `${e.actor.id}x` }),
      centerId: (e) => (e.centerId === null ? 'x' : null),
      payload: (e) => [e.payload],
      previousHash: (e) => (e.previousHash === null ? 'a'.repeat(64) : null),
    };
    const fastPath = (e: Omit<EventEnvelope, 'hash'>) =>
      eventHashWith(e, canonicalJson(e.actor), canonicalJson(e.payload));
    fc.assert(
      fc.property(envelope, (e) => {
        const content = e as Omit<EventEnvelope, 'hash'>;
        for (const [key, change] of Object.entries(changes)) {
          const changed = { ...content, [key]: change(content) } as Omit<EventEnvelope, 'hash'>;
          expect({ key, hash: eventHash(changed) }).not.toEqual({ key, hash: eventHash(content) });
          expect({ key, hash: fastPath(changed) }).not.toEqual({ key, hash: fastPath(content) });
        }
        expect(eventHash({ ...content, hash: 'f'.repeat(64) })).toBe(eventHash(content));
      }),
    );
  });
});
