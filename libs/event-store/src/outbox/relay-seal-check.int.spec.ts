import type { Pool } from 'pg';
import type { TestDatabase } from '@nqpf/testing';
import { EVENT_COLUMNS, type EventRow } from '../event-row';
import { PostgresEventStore } from '../postgres-event-store';
import { createTestStore, events, forgeAppend, keyPair, meta, tamper } from '../test-fixtures';
import { requireSealed, UnsealedEventError } from './relay-seal-check';

/** The stored rows of these events, as the relay selects them for a batch. */
async function batchOf(pool: Pool, ...batch: [string, number][]): Promise<EventRow[]> {
  const rows: EventRow[] = [];
  for (const [streamId, version] of batch) {
    const { rows: found } = await pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events where stream_id = $1 and stream_version = $2`,
      [streamId, version],
    );
    rows.push(...found);
  }
  return rows;
}

describe('the relay publishes only what a seal of the service vouches for (requireSealed)', () => {
  const service = keyPair();
  let db: TestDatabase;
  let store: PostgresEventStore;
  const check = async (...batch: [string, number][]) =>
    requireSealed(db.pool, 'event_store', service.keys, await batchOf(db.pool, ...batch));
  const refusalOf = async (run: Promise<unknown>) => {
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnsealedEventError);
    return (err as UnsealedEventError).link;
  };
  const refusal = (...batch: [string, number][]) => refusalOf(check(...batch));

  beforeAll(async () => {
    ({ db, store } = await createTestStore({ sealer: service.sealer }));
  });
  afterAll(() => db.drop());

  it('passes the service’s appends, also a batch that ends inside an append or starts after earlier ones', async () => {
    await store.append('s', events(3), meta('no_stream'));
    await store.append('s', events(1), meta(3));
    await store.append('s', events(2), meta(4));
    await expect(check(['s', 1], ['s', 2])).resolves.toBeInstanceOf(Map);
    await expect(check(['s', 4], ['s', 5])).resolves.toBeInstanceOf(Map);
    await expect(check(['s', 6])).resolves.toBeInstanceOf(Map);
    await store.append('t', events(1), meta('no_stream'));
    await expect(check(['s', 2], ['t', 1], ['s', 3])).resolves.toBeInstanceOf(Map);
  });

  it('stops at an event someone added at the tail without the key, naming it', async () => {
    await store.append('tail', events(2), meta('no_stream'));
    const forged = await forgeAppend(db, 'tail');
    expect(await refusal(['tail', 3])).toMatchObject({
      streamId: 'tail',
      streamVersion: 3,
      eventId: forged,
      problem: 'unsealed',
    });
    // A batch that also holds the service's own events of other streams stops all the same.
    await store.append('other', events(1), meta('no_stream'));
    expect(await refusal(['other', 1], ['tail', 3])).toMatchObject({ eventId: forged });
  });

  it("stops at an added event the service's next append continued, and at that append too", async () => {
    await store.append('buried', events(2), meta('no_stream'));
    const forged = await forgeAppend(db, 'buried');
    await store.append('buried', events(1), meta(3));
    expect(await refusal(['buried', 3], ['buried', 4])).toMatchObject({
      eventId: forged,
      problem: 'unsealed',
    });
    // Its seal starts after the added event, so the service's own append is held too, naming the added one.
    expect(await refusal(['buried', 4])).toMatchObject({ eventId: forged, streamVersion: 3 });
  });

  it('stops at a sealed event whose content was changed after it was stored', async () => {
    const [, second] = (await store.append('changed', events(2), meta('no_stream'))).events;
    await tamper(db, `update event_store.events set payload = '{"n": 99}' where position = $1`, [
      second!.position,
    ]);
    expect(await refusal(['changed', 1])).toMatchObject({ streamVersion: 2, problem: 'modified' });
  });

  it('stops at a seal of a key it does not trust', async () => {
    const stranger = keyPair();
    await new PostgresEventStore(db.pool, { sealer: stranger.sealer }).append(
      'stranger',
      events(1),
      meta('no_stream'),
    );
    expect(await refusal(['stranger', 1])).toMatchObject({ problem: 'bad-seal' });
  });

  it('passes events from before the key once their heads were sealed (nqpf audit seal-heads)', async () => {
    // A store written before its service had a key (seal-heads seals only heads from before the first seal).
    const before = await createTestStore();
    try {
      await before.store.append('old', events(2), meta('no_stream'));
      const checkOld = async (...versions: number[]) =>
        requireSealed(
          before.db.pool,
          'event_store',
          service.keys,
          await batchOf(before.db.pool, ...versions.map((v): [string, number] => ['old', v])),
        );
      await expect(checkOld(1)).rejects.toThrow(UnsealedEventError);
      await before.store.sealUnsealedHeads(service.sealer, await before.store.heads());
      await expect(checkOld(1, 2)).resolves.toBeInstanceOf(Map);
      await new PostgresEventStore(before.db.pool, { sealer: service.sealer }).append(
        'old',
        events(1),
        meta(2),
      );
      await expect(checkOld(3)).resolves.toBeInstanceOf(Map);
    } finally {
      await before.db.drop();
    }
  });

  it('does not take a seal row someone added for the end of an append: the seal before it must hold too', async () => {
    await store.append('junk-anchor', events(2), meta('no_stream'));
    const forged = await forgeAppend(db, 'junk-anchor');
    await tamper(
      db,
      `insert into event_store.event_seals (position, key_id, signature)
       select position, $1, 'AAAA' from event_store.events where event_id = $2::uuid`,
      [service.sealer.keyId, forged],
    );
    // The service appends after the forged event, sealing from its hash.
    await store.append('junk-anchor', events(1), meta(3));
    expect(await refusal(['junk-anchor', 4])).toMatchObject({ eventId: forged });
  });

  it('publishes only rows the checked chain holds as they are: not a row beside it, not other content', async () => {
    await store.append('beside', events(1), meta('no_stream'));
    // Version 0 is below every chain: a row there (the table's check dropped) is outside what is checked.
    await tamper(db, 'alter table event_store.events drop constraint if exists events_stream_version_check');
    const forged = await forgeAppend(db, 'beside', { streamVersion: 0, previousHash: null });
    const { rows: zero } = await db.pool.query<EventRow>(
      `select ${EVENT_COLUMNS} from event_store.events where event_id = $1::uuid`,
      [forged],
    );
    expect(await refusalOf(requireSealed(db.pool, 'event_store', service.keys, zero))).toMatchObject({
      eventId: forged,
      streamVersion: 0,
      problem: 'inserted',
    });
    const [row] = await batchOf(db.pool, ['beside', 1]);
    // The row as the relay read it, changed after (its hash kept): its content is checked, not the table's.
    const changed = { ...row!, payload: { n: 666 } };
    expect(await refusalOf(requireSealed(db.pool, 'event_store', service.keys, [changed]))).toMatchObject({
      streamVersion: 1,
      problem: 'modified',
    });
    await expect(requireSealed(db.pool, 'event_store', service.keys, [row!])).resolves.toBeInstanceOf(Map);
  });

  it('returns the seal that vouched for each sealed row, never a seal row someone added beside it', async () => {
    const appended = (await store.append('headers', events(3), meta('no_stream'))).events;
    // A junk row with the service's key id on the middle event, and one sorting first on the last.
    for (const [event, keyId] of [
      [appended[1]!, service.sealer.keyId],
      [appended[2]!, '0000000000000000'],
    ] as const)
      await tamper(
        db,
        `insert into event_store.event_seals (position, key_id, signature) values ($1, $2, 'AAAA')`,
        [event.position, keyId],
      );
    const seals = await check(['headers', 1], ['headers', 2], ['headers', 3]);
    expect([...seals.keys()]).toEqual([appended[2]!.position]);
    expect(seals.get(appended[2]!.position)).toMatchObject({ keyId: service.sealer.keyId });
    expect(seals.get(appended[2]!.position)!.signature).not.toBe('AAAA');
  });
});
