import { eventually, type TestDatabase } from '@nqpf/testing';
import { ConcurrencyConflictError, EventStoreInputError } from './errors';
import { eventHash } from './hash';
import type { PostgresEventStore } from './postgres-event-store';
import { createTestStore, events, meta, operator } from './test-fixtures';

describe('PostgresEventStore', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store } = await createTestStore());
  });
  afterAll(() => db.drop());

  it('migrates idempotently, also when run concurrently', async () => {
    await Promise.all([store.migrate(), store.migrate()]);
    await store.migrate();
  });

  it('starts on a current schema without waiting for writers in flight (a replica starting beside others)', async () => {
    const writer = await db.pool.connect();
    try {
      await writer.query('begin');
      await store.append('s-in-flight', events(1), meta('no_stream'), writer);
      const started = Date.now();
      await store.migrate();
      expect(Date.now() - started).toBeLessThan(1000);
      await writer.query('commit');
    } finally {
      writer.release();
    }
  });

  it('appends a batch with contiguous versions and a hash chain, and reads it back unchanged', async () => {
    const result = await store.append('s-batch', events(3), {
      ...meta('no_stream'),
      causationId: 'cause-1',
    });
    expect(result.nextExpectedVersion).toBe(3);
    const read = await store.readStream('s-batch');
    expect(read).toEqual(result.events);
    expect(read.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(read[0]!.previousHash).toBeNull();
    expect(read[1]!.previousHash).toBe(read[0]!.hash);
    expect(read.every((e) => eventHash(e) === e.hash)).toBe(true);
    expect(read[0]).toMatchObject({
      actor: operator,
      centerId: 'center-1',
      causationId: 'cause-1',
      correlationId: 'corr-1',
    });
    expect(read[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('reads forward from a version', async () => {
    await store.append('s-from', events(5), meta('no_stream'));
    const read = await store.readStream('s-from', { fromVersion: 3 });
    expect(read.map((e) => e.streamVersion)).toEqual([3, 4, 5]);
    expect(await store.streamVersion('s-from')).toBe(5);
    expect(await store.streamVersion('s-none')).toBe(0);
  });

  it('reads up to a version, only events of some types', async () => {
    await store.append(
      's-kinds',
      [...events(2, 'Kept'), ...events(2, 'Other'), ...events(2, 'Kept')],
      meta('no_stream'),
    );
    const kept = await store.readStream('s-kinds', { toVersion: 5, types: ['Kept'] });
    expect(kept.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'Kept'],
      [2, 'Kept'],
      [5, 'Kept'],
    ]);
    expect((await store.readStream('s-kinds', { toVersion: 3 })).map((e) => e.streamVersion)).toEqual([
      1, 2, 3,
    ]);
  });

  it('rejects a stale expected version with the stream, expected and actual versions', async () => {
    await store.append('s-stale', events(2), meta('no_stream'));
    const error = await store.append('s-stale', events(1), meta(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ streamId: 's-stale', expected: 1, actual: 2 });
    await expect(store.append('s-stale', events(1), meta('no_stream'))).rejects.toMatchObject({
      expected: 'no_stream',
      actual: 2,
    });
    await expect(store.append('s-stale', events(1), meta(2))).resolves.toMatchObject({
      nextExpectedVersion: 3,
    });
  });

  it('lets exactly one of many parallel appenders with the same expected version win', async () => {
    await store.append('s-race', events(1), meta('no_stream'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.append('s-race', events(2), meta(1))),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost.every((o) => o.reason instanceof ConcurrencyConflictError && o.reason.actual === 3)).toBe(
      true,
    );
    expect((await store.readStream('s-race')).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it("queues parallel 'any' appenders instead of failing them", async () => {
    await Promise.all(Array.from({ length: 6 }, () => store.append('s-any', events(2), meta('any'))));
    expect((await store.readStream('s-any')).map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect((await store.verifyStream('s-any')).ok).toBe(true);
  });

  it("commits the caller's other writes with the events, and rolls both back together", async () => {
    await db.pool.query('create table if not exists idempotency (key text primary key)');
    await store.transaction(async (tx) => {
      await store.append('s-tx', events(1), meta('no_stream'), tx);
      await tx.query("insert into idempotency values ('k1')");
    });
    await expect(
      store.transaction(async (tx) => {
        await store.append('s-tx', events(1), meta(1), tx);
        await tx.query("insert into idempotency values ('k1')");
      }),
    ).rejects.toThrow('duplicate key');
    expect(await store.streamVersion('s-tx')).toBe(1);
    const { rows } = await db.pool.query('select key from idempotency');
    expect(rows).toEqual([{ key: 'k1' }]);
  });

  it('rejects UPDATE, DELETE and TRUNCATE of events in the database itself', async () => {
    await store.append('s-immutable', events(1), meta('no_stream'));
    await expect(
      db.pool.query(`update event_store.events set payload = '{}' where stream_id = 's-immutable'`),
    ).rejects.toThrow('events are append-only: UPDATE');
    await expect(
      db.pool.query(`delete from event_store.events where stream_id = 's-immutable'`),
    ).rejects.toThrow('events are append-only: DELETE');
    await expect(db.pool.query('truncate event_store.events cascade')).rejects.toThrow(
      'events are append-only: TRUNCATE',
    );
    expect(await store.streamVersion('s-immutable')).toBe(1);
  });

  it('names the field and rule for bad input', async () => {
    await expect(store.append('', events(1), meta())).rejects.toThrow(EventStoreInputError);
    await expect(store.append('s', [], meta())).rejects.toThrow('events: must be a non-empty array');
    await expect(store.append('s', [{ type: 'X', schemaVersion: 0, payload: {} }], meta())).rejects.toThrow(
      'events[0].schemaVersion: must be a whole number ≥ 1',
    );
    const id = '0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B';
    await expect(store.append('s', [{ ...events(1)[0]!, id }], meta())).rejects.toThrow(
      'events[0].id: must be a UUID in lowercase with hyphens',
    );
    await expect(store.append('s', events(1), { ...meta(), expectedVersion: -1 })).rejects.toThrow(
      'expectedVersion',
    );
    await expect(
      store.append('s', events(1), { ...meta(), actor: { id: 'x', role: 'king' as never } }),
    ).rejects.toThrow('actor.role');
  });

  it('upcasts v1 rows to v2 shapes on read without changing the stored rows', async () => {
    await store.append(
      's-upcast',
      [{ type: 'GrantPaid', schemaVersion: 1, payload: { amountYuan: 12 } }],
      meta('no_stream'),
    );
    const before = await store.readStream('s-upcast');
    store.upcasters.register<{ amountYuan: number }, { amountFen: number }>({
      type: 'GrantPaid',
      fromVersion: 1,
      upcast: (p) => ({ amountFen: p.amountYuan * 100 }),
    });
    const [read] = await store.readStream('s-upcast');
    expect(read).toMatchObject({ schemaVersion: 2, payload: { amountFen: 1200 } });
    const all = await eventually(async () => {
      const found = (await store.readAll({ limit: 100000 })).find((e) => e.id === read!.id);
      expect(found).toBeDefined();
      return found;
    });
    expect(all).toMatchObject({ schemaVersion: 2, payload: { amountFen: 1200 } });
    const { rows } = await db.pool.query(
      `select schema_version, payload from event_store.events where stream_id = 's-upcast'`,
    );
    expect(rows).toEqual([{ schema_version: 1, payload: { amountYuan: 12 } }]);
    expect(before[0]!.hash).toBe(read!.hash);
    expect((await store.verifyStream('s-upcast')).ok).toBe(true);
  });

  it('keeps the latest snapshot and ignores snapshots of another state version', async () => {
    await store.saveSnapshot({
      streamId: 's-snap',
      aggregateType: 'center',
      stateVersion: 1,
      streamVersion: 5,
      state: { n: 5 },
    });
    await store.saveSnapshot({
      streamId: 's-snap',
      aggregateType: 'center',
      stateVersion: 1,
      streamVersion: 3,
      state: { n: 3 },
    });
    expect(await store.loadSnapshot('s-snap', 'center', 1)).toMatchObject({
      streamVersion: 5,
      state: { n: 5 },
    });
    expect(await store.loadSnapshot('s-snap', 'center', 2)).toBeUndefined();
  });
});
