import type { TestDatabase } from '@nqpf/testing';
import { PostgresEventStore } from './postgres-event-store';
import { SealKeys } from './seal';
import { createTestStore, events, forgeAppend, keyPair, meta, tamper } from './test-fixtures';

describe('seals', () => {
  const service = keyPair();
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store } = await createTestStore({ sealer: service.sealer }));
  });
  afterAll(() => db.drop());

  it('seals the last event of every append, and verify checks it with the trusted keys', async () => {
    await store.append('sealed', events(2), meta('no_stream'));
    await store.append('sealed', events(1), meta(2));
    const { rows } = await db.pool.query(
      `select e.stream_version, s.key_id from event_store.events e
         left join event_store.event_seals s using (position) where e.stream_id = 'sealed' order by 1`,
    );
    expect(rows).toEqual([
      { stream_version: 1, key_id: null },
      { stream_version: 2, key_id: service.sealer.keyId },
      { stream_version: 3, key_id: service.sealer.keyId },
    ]);
    expect(await store.verifyStream('sealed', undefined, service.keys)).toEqual({ ok: true, checked: 3 });
  });

  it('names an event appended by someone without the key, which the chain alone passes', async () => {
    await store.append('forged', events(2), meta('no_stream'));
    const forgedId = await forgeAppend(db, 'forged');
    expect(await store.verifyStream('forged')).toEqual({ ok: true, checked: 3 });
    expect(await store.verifyStream('forged', undefined, service.keys)).toEqual({
      ok: false,
      checked: 3,
      firstBroken: {
        streamId: 'forged',
        streamVersion: 3,
        eventId: forgedId,
        problem: 'unsealed',
        detail: 'no seal covers it: appended without a service key',
      },
    });
    const report = await store.verify(undefined, service.keys);
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual([expect.objectContaining({ streamId: 'forged', problem: 'unsealed' })]);
  });

  it("names an event added without the key that the service's next append continued", async () => {
    await store.append('buried', events(2), meta('no_stream'));
    const forgedId = await forgeAppend(db, 'buried');
    // The service loads the stream with the forged event and appends after it, sealing its own append.
    await store.append('buried', events(1), meta(3));
    expect(await store.verifyStream('buried')).toEqual({ ok: true, checked: 4 });
    expect(await store.verifyStream('buried', undefined, service.keys)).toEqual({
      ok: false,
      checked: 4,
      firstBroken: {
        streamId: 'buried',
        streamVersion: 3,
        eventId: forgedId,
        problem: 'unsealed',
        detail: 'no seal covers it: the seal of version 4 covers only from version 4',
      },
    });
    expect((await store.verify(undefined, service.keys)).broken).toContainEqual(
      expect.objectContaining({ streamId: 'buried', eventId: forgedId, problem: 'unsealed' }),
    );
  });

  it('refuses a seal of a key it does not trust, and a seal copied from another event', async () => {
    const stranger = keyPair();
    const otherStore = new PostgresEventStore(db.pool, { sealer: stranger.sealer });
    await otherStore.append('stranger', events(1), meta('no_stream'));
    expect((await store.verifyStream('stranger', undefined, service.keys)).firstBroken).toMatchObject({
      problem: 'bad-seal',
      detail: `sealed with key ${stranger.sealer.keyId}, which is not a trusted key`,
    });
    // Both keys trusted: the stranger's seal is good.
    const both = SealKeys.fromPem(`${service.publicPem}\n${stranger.publicPem}`);
    expect(await store.verifyStream('stranger', undefined, both)).toEqual({ ok: true, checked: 1 });

    const [event] = (await store.append('copied', events(1), meta('no_stream'))).events;
    await tamper(
      db,
      `update event_store.event_seals set signature = (select s.signature from event_store.event_seals s
         join event_store.events e using (position) where e.stream_id = 'sealed' and e.stream_version = 3)
        where position = $1`,
      [event!.position],
    );
    expect((await store.verifyStream('copied', undefined, service.keys)).firstBroken).toMatchObject({
      eventId: event!.id,
      problem: 'bad-seal',
      detail: `the seal (key ${service.sealer.keyId}) does not match the event's hash and the events it should cover`,
    });
  });

  it('seals in the same statement as the outbox rows', async () => {
    const withOutbox = new PostgresEventStore(db.pool, { outboxTopic: 'nqpf.test', sealer: service.sealer });
    await withOutbox.append('with-outbox', events(2), meta('no_stream'));
    expect(await store.verifyStream('with-outbox', undefined, service.keys)).toEqual({
      ok: true,
      checked: 2,
    });
    const { rows } = await db.pool.query(
      `select count(*)::int as n from event_store.outbox o join event_store.events e using (position)
        where e.stream_id = 'with-outbox'`,
    );
    expect(rows[0].n).toBe(2);
  });

  it('keeps seals insert-only like the events', async () => {
    await expect(db.pool.query('delete from event_store.event_seals')).rejects.toThrow(
      'events are append-only: DELETE on event_store.event_seals',
    );
  });

  it('never seals what was appended without the key once the service had one', async () => {
    await store.append('late', events(1), meta('no_stream'));
    const forged = await forgeAppend(db, 'late');
    // Even with heads that include it (taken from the store itself, as no one should).
    const result = await store.sealUnsealedHeads(service.sealer, await store.heads());
    expect(result.refused).toContainEqual(expect.objectContaining({ streamId: 'late', streamVersion: 2 }));
    expect((await store.verifyStream('late', undefined, service.keys)).firstBroken).toMatchObject({
      eventId: forged,
      problem: 'unsealed',
    });
  });
});

describe('sealing the heads of a store written before its service had a key', () => {
  it('seals once the heads equal to the heads taken at the rollout, nothing else', async () => {
    const service = keyPair();
    const { db, store: unsealed } = await createTestStore();
    try {
      await unsealed.append('old-1', events(2), meta('no_stream'));
      await unsealed.append('old-2', events(1), meta('no_stream'));
      await unsealed.append('old-3', events(2), meta('no_stream'));
      const atRollout = await unsealed.heads(); // in production: nqpf audit heads --from-kafka
      // Added by someone at the database before the sealing: not in the heads taken at the rollout.
      await unsealed.append('forged', events(1), meta('no_stream'));
      // The service, started with its key before the heads were sealed, appends to an old stream.
      await new PostgresEventStore(db.pool, { sealer: service.sealer }).append('old-3', events(1), meta(2));
      expect((await unsealed.verifyStream('old-1', undefined, service.keys)).firstBroken?.problem).toBe(
        'unsealed',
      );
      expect(await unsealed.sealUnsealedHeads(service.sealer, atRollout)).toEqual({
        sealed: 3,
        refused: [{ streamId: 'forged', streamVersion: 1, detail: 'not in the heads file' }],
      });
      expect(await unsealed.verifyStream('old-1', undefined, service.keys)).toEqual({ ok: true, checked: 2 });
      // Its head at the rollout is sealed over the stream, and the service's append continues from it.
      expect(await unsealed.verifyStream('old-3', undefined, service.keys)).toEqual({ ok: true, checked: 3 });
      expect((await unsealed.sealUnsealedHeads(service.sealer, atRollout)).sealed).toBe(0);
      // The service runs with its key now; an event someone adds later is never sealed by this.
      const sealed = new PostgresEventStore(db.pool, { sealer: service.sealer });
      await sealed.append('old-2', events(1), meta(1));
      await unsealed.append('old-1', events(1), meta(2));
      const later = await unsealed.sealUnsealedHeads(service.sealer, await unsealed.heads());
      expect(later.sealed).toBe(0);
      expect(later.refused).toContainEqual(
        expect.objectContaining({
          streamId: 'old-1',
          streamVersion: 3,
          detail: expect.stringMatching(/^recorded after/),
        }),
      );
    } finally {
      await db.drop();
    }
  });

  it('finds the head from before the key behind a first keyed append of several events', async () => {
    const service = keyPair();
    for (const headsTaken of ['at the rollout', 'after the restart'] as const) {
      const { db, store: unsealed } = await createTestStore();
      try {
        await unsealed.append('old', events(1), meta('no_stream'));
        const atRollout = await unsealed.heads();
        // The service's first sealed append: two events, the first positioned before the store's first seal.
        await new PostgresEventStore(db.pool, { sealer: service.sealer }).append('old', events(2), meta(1));
        const heads = headsTaken === 'at the rollout' ? atRollout : await unsealed.heads();
        expect({ headsTaken, result: await unsealed.sealUnsealedHeads(service.sealer, heads) }).toEqual({
          headsTaken,
          result: { sealed: 1, refused: [] },
        });
        expect(await unsealed.verifyStream('old', undefined, service.keys)).toEqual({ ok: true, checked: 3 });
        expect((await unsealed.sealUnsealedHeads(service.sealer, heads)).sealed).toBe(0);
      } finally {
        await db.drop();
      }
    }
  });

  it('takes heads from after the restart, where the store holds them, for the heads from before the key', async () => {
    const service = keyPair();
    const { db, store: unsealed } = await createTestStore();
    try {
      await unsealed.append('old', events(2), meta('no_stream'));
      await unsealed.append('moved', events(1), meta('no_stream'));
      const sealed = new PostgresEventStore(db.pool, { sealer: service.sealer });
      await sealed.append('old', events(1), meta(2));
      await sealed.append('moved', events(1), meta(1));
      const afterRestart = await unsealed.heads();
      afterRestart.set('moved', { ...afterRestart.get('moved')!, hash: 'f'.repeat(64) });
      expect(await unsealed.sealUnsealedHeads(service.sealer, afterRestart)).toEqual({
        sealed: 1,
        refused: [
          {
            streamId: 'moved',
            streamVersion: 1,
            detail: 'the store differs from the heads file at version 2',
          },
        ],
      });
      expect(await unsealed.verifyStream('old', undefined, service.keys)).toEqual({ ok: true, checked: 3 });
    } finally {
      await db.drop();
    }
  });

  it('re-seals under a new key the heads a retired key validly sealed that equal heads taken before the leak', async () => {
    const old = keyPair();
    const next = keyPair();
    const { db, store } = await createTestStore({ sealer: old.sealer });
    try {
      await store.append('a', events(2), meta('no_stream'));
      await store.append('b', events(1), meta('no_stream'));
      const beforeLeak = await store.heads();
      // After the leak: an event sealed with the leaked key, and a seal row of its id with no valid signature.
      await store.append('b', events(1), meta(1));
      await store.append('c', events(1), meta('no_stream'));
      const cHead = (await store.readStream('c'))[0]!;
      await tamper(db, 'update event_store.event_seals set signature = $2 where position = $1', [
        cHead.position,
        'AAAA',
      ]);
      // The service runs with the new key and appends to 'a' before the re-sealing.
      await new PostgresEventStore(db.pool, { sealer: next.sealer }).append('a', events(1), meta(2));
      const result = await store.resealHeads(next.sealer, old.keys, beforeLeak);
      expect(result.resealed).toBe(1);
      expect(result.refused).toEqual([
        { streamId: 'b', streamVersion: 2, detail: 'the heads file has version 1' },
        expect.objectContaining({
          streamId: 'c',
          detail: expect.stringMatching(/^its seal of the retired key: /),
        }),
      ]);
      expect(await store.verifyStream('a', undefined, next.keys)).toEqual({ ok: true, checked: 3 });
      expect((await store.verifyStream('b', undefined, next.keys)).firstBroken?.problem).toBe('bad-seal');
    } finally {
      await db.drop();
    }
  });
});
