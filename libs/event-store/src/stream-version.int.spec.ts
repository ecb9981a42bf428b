import fc from 'fast-check';
import type { TestDatabase } from '@nqpf/testing';
import { ConcurrencyConflictError } from './errors';
import type { PostgresEventStore } from './postgres-event-store';
import { createTestStore, events, meta } from './test-fixtures';

/** Rounds of parallel appenders; every appender of a round expects the version the round starts at. */
const rounds = fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 4,
});

describe('stream version invariants (property-based, real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let run = 0;

  beforeAll(async () => {
    ({ db, store } = await createTestStore());
  });
  afterAll(() => db.drop());

  it('keeps versions contiguous from 1 with exactly one winner per expected version', async () => {
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        const streamId = `prop-${run++}`;
        let version = 0;
        for (const batchSizes of plan) {
          const expected = version === 0 ? 'no_stream' : version;
          const outcomes = await Promise.allSettled(
            batchSizes.map((n) => store.append(streamId, events(n), meta(expected))),
          );
          const winners = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [batchSizes[i]!] : []));
          expect(winners).toHaveLength(1);
          for (const o of outcomes) {
            if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ConcurrencyConflictError);
          }
          version += winners[0]!;
        }
        const stored = await store.readStream(streamId);
        expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
        expect((await store.verifyStream(streamId)).ok).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
