import type { TestDatabase } from '@nqpf/testing';
import { eventHash } from './hash';
import type { PostgresEventStore } from './postgres-event-store';
import { verifyStore } from './verify-store';
import { createTestStore, events, meta, tamper } from './test-fixtures';

describe('verify', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store } = await createTestStore());
  });
  afterAll(() => db.drop());

  async function streamOfThree(streamId: string) {
    return (await store.append(streamId, events(3), meta('no_stream'))).events;
  }

  it('accepts an untouched stream and store', async () => {
    await streamOfThree('intact');
    expect(await store.verifyStream('intact')).toEqual({ ok: true, checked: 3 });
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it('names a modified event', async () => {
    const [, second] = await streamOfThree('modified');
    await tamper(db, `update event_store.events set payload = '{"n":99}' where event_id = $1`, [second!.id]);
    expect(await store.verifyStream('modified')).toEqual({
      ok: false,
      checked: 2,
      firstBroken: {
        streamId: 'modified',
        streamVersion: 2,
        eventId: second!.id,
        problem: 'modified',
        detail: 'content does not match its hash',
      },
    });
  });

  // Who and when are hashed like the payload. The stream ids sort after 'inserted', the first broken stream
  // the store-wide test below expects.
  it.each([
    ['actor', `actor = jsonb_set(actor, '{id}', '"someone-else"')`],
    ['occurred_at', `occurred_at = occurred_at - interval '1 day'`],
  ])('names an event whose %s was changed', async (column, change) => {
    const streamId = `modified-${column}`;
    const [, second] = (await store.append(streamId, events(3), meta('no_stream'))).events;
    await tamper(db, `update event_store.events set ${change} where event_id = $1`, [second!.id]);
    expect((await store.verifyStream(streamId)).firstBroken).toMatchObject({
      streamVersion: 2,
      eventId: second!.id,
      problem: 'modified',
    });
  });

  it('names the event after a removed one', async () => {
    const [, second, third] = await streamOfThree('removed');
    await tamper(db, 'delete from event_store.events where event_id = $1', [second!.id]);
    expect((await store.verifyStream('removed')).firstBroken).toMatchObject({
      streamVersion: 3,
      eventId: third!.id,
      problem: 'removed',
    });
  });

  it('cannot see a removed last event from the chain alone, but can against a known head', async () => {
    const [, , third] = await streamOfThree('tail');
    await tamper(db, 'delete from event_store.events where event_id = $1', [third!.id]);
    expect((await store.verifyStream('tail')).ok).toBe(true);
    const knownHead = { streamVersion: 3, hash: third!.hash };
    expect((await store.verifyStream('tail', knownHead)).firstBroken).toMatchObject({
      streamVersion: 3,
      problem: 'removed',
    });
  });

  it('cannot see a rewritten tail from the chain alone, but can against heads taken before', async () => {
    const [, , third] = await streamOfThree('rewritten');
    const heads = await store.heads();
    expect(heads.get('rewritten')).toEqual({ streamVersion: 3, hash: third!.hash });
    const forged = { ...third!, payload: { n: 99 } };
    await tamper(db, 'update event_store.events set payload = $2, hash = $3 where event_id = $1', [
      third!.id,
      JSON.stringify(forged.payload),
      eventHash(forged),
    ]);
    expect((await store.verifyStream('rewritten')).ok).toBe(true);
    expect((await store.verifyStream('rewritten', heads.get('rewritten'))).firstBroken).toMatchObject({
      streamVersion: 3,
      eventId: third!.id,
      problem: 'modified',
    });
  });

  it('names an inserted event', async () => {
    const [first] = await streamOfThree('inserted');
    await tamper(
      db,
      `insert into event_store.events (position, event_id, stream_id, stream_version, type, schema_version,
         occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
       select nextval('event_store.event_position'), gen_random_uuid(), stream_id, 4, type, schema_version,
         occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, '{"forged":true}', $2, hash
       from event_store.events where event_id = $1`,
      [first!.id, first!.hash],
    );
    expect((await store.verifyStream('inserted')).firstBroken).toMatchObject({
      streamVersion: 4,
      problem: 'inserted',
    });
  });

  it('names reordered events', async () => {
    const [, second, third] = await streamOfThree('reordered');
    await tamper(
      db,
      `update event_store.events set stream_version = stream_version + 1000
        where stream_id = 'reordered' and stream_version in (2, 3);
       update event_store.events set stream_version = case stream_version when 1002 then 3 else 2 end
        where stream_id = 'reordered' and stream_version in (1002, 1003)`,
    );
    expect((await store.verifyStream('reordered')).firstBroken).toMatchObject({
      streamVersion: 2,
      eventId: third!.id,
      problem: 'reordered',
    });
    expect(second!.streamVersion).toBe(2);
  });

  it('reports the first broken event of the whole store, and goes on to list every broken stream', async () => {
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ streamId: 'inserted', problem: 'inserted' });
    // One known break does not hide the next: every stream is checked (the two broken only against heads
    // pass here).
    expect(report.broken?.map((b) => [b.streamId, b.problem])).toEqual([
      ['inserted', 'inserted'],
      ['modified', 'modified'],
      ['modified-actor', 'modified'],
      ['modified-occurred_at', 'modified'],
      ['removed', 'removed'],
      ['reordered', 'reordered'],
    ]);
    expect(report.brokenStreams).toBe(6);
    expect(report.checked).toBeGreaterThan(12);
  });
});

describe('verify across pages', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store } = await createTestStore());
  });
  afterAll(() => db.drop());

  it('reads every page: 4 + 7 events in pages of 3 pass untouched', async () => {
    await store.append('a', events(4), meta('no_stream'));
    await store.append('b', events(7), meta('no_stream'));
    expect(await verifyStore(db.pool, 'event_store', new Map(), undefined, 3)).toEqual({
      ok: true,
      checked: 11,
    });
  });

  it('names a modified event on a later page', async () => {
    const sixth = (await store.readStream('b'))[5]!;
    await tamper(db, `update event_store.events set payload = '{"n":99}' where event_id = $1`, [sixth.id]);
    expect(await verifyStore(db.pool, 'event_store', new Map(), undefined, 3)).toMatchObject({
      ok: false,
      checked: 10,
      firstBroken: { streamId: 'b', streamVersion: 6, eventId: sixth.id, problem: 'modified' },
    });
  });
});
