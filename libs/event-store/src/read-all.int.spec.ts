import { eventually, type TestDatabase } from '@nqpf/testing';
import type { EventEnvelope } from '@nqpf/contracts';
import type { PoolClient } from 'pg';
import { PostgresEventStore } from './postgres-event-store';
import { createTestStore, events, meta } from './test-fixtures';

describe('readAll', () => {
  let db: TestDatabase;
  let base: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store: base } = await createTestStore());
  });
  afterAll(() => db.drop());

  /**
   * The reader waits for every older transaction in the whole PostgreSQL cluster, and other suites share
   * the server: so positive reads poll until those have finished.
   */
  function readUntil(
    store: PostgresEventStore,
    count: number,
    after?: string,
    limit?: number,
  ): Promise<EventEnvelope[]> {
    return eventually(async () => {
      const read = await store.readAll({ after, limit });
      expect(read).toHaveLength(count);
      return read;
    });
  }

  async function freshStore(schema: string): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(base.pool, { schema });
    await store.migrate();
    return store;
  }

  /** Opens a transaction that stays open until the returned commit is called. */
  async function openTransaction(): Promise<{ tx: PoolClient; commit: () => Promise<void> }> {
    const tx = await db.pool.connect();
    await tx.query('begin');
    return {
      tx,
      commit: async () => {
        await tx.query('commit');
        tx.release();
      },
    };
  }

  it('pages in numeric position order across digit counts (9 → 10), for readAll and scanAll', async () => {
    const store = await freshStore('all_digits');
    await store.append('d', events(25), meta());
    const expected = Array.from({ length: 25 }, (_, i) => String(i + 1));
    const paged: string[] = [];
    for (let after: string | undefined; paged.length < 25; after = paged[paged.length - 1]) {
      const page = await readUntil(store, Math.min(4, 25 - paged.length), after, 4);
      paged.push(...page.map((e) => e.position));
    }
    expect(paged).toEqual(expected);
    const scanned: string[] = [];
    await store.scanAll((page) => {
      scanned.push(...page.map((e) => e.position));
    }, 4);
    expect(scanned).toEqual(expected);
  });

  it('returns every event in commit order after a checkpoint', async () => {
    const store = await freshStore('all_order');
    await store.append('a', events(2), meta());
    await store.append('b', events(1), meta());
    const all = await readUntil(store, 3);
    expect(all.map((e) => `${e.streamId}${e.streamVersion}`)).toEqual(['a1', 'a2', 'b1']);
    const rest = await readUntil(store, 2, all[0]!.position);
    expect(rest.map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
    await expect(store.readAll({ after: '999999' })).rejects.toThrow('after: no event has position 999999');
  });

  it('never skips a transaction that took a smaller position but committed later', async () => {
    const store = await freshStore('all_late');
    const a = await openTransaction();
    const appendedA = await store.append('a', events(1), meta(), a.tx);
    const appendedB = await store.append('b', events(1), meta());
    expect(BigInt(appendedA.events[0]!.position)).toBeLessThan(BigInt(appendedB.events[0]!.position));

    // B is committed, but A (smaller position) is not: a reader must wait rather than pass A by.
    expect(await store.readAll()).toEqual([]);
    await a.commit();
    expect((await readUntil(store, 2)).map((e) => e.streamId)).toEqual(['a', 'b']);
  });

  it('resumes from a checkpoint even when commit order and position order differ', async () => {
    const store = await freshStore('all_reverse');
    const a = await openTransaction();
    await a.tx.query('select pg_current_xact_id()'); // A's transaction id is now older than B's
    await store.append('b', events(1), meta()); // B takes the smaller position and commits first
    await store.append('a', events(1), meta(), a.tx);
    await a.commit();

    const first = await readUntil(store, 1, undefined, 1);
    expect(first.map((e) => e.streamId)).toEqual(['a']);
    const second = await readUntil(store, 1, first[0]!.position);
    expect(second.map((e) => e.streamId)).toEqual(['b']);
    expect(BigInt(second[0]!.position)).toBeLessThan(BigInt(first[0]!.position));
    expect(await store.readAll({ after: second[0]!.position })).toEqual([]);
  });
});
