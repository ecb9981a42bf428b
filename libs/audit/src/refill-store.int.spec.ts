import { generateKeyPairSync } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { EventEnvelope, NewEvent } from '@nqpf/contracts';
import { outboxStatus, PostgresEventStore, SealKeys } from '@nqpf/event-store';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  uniqueName,
  type TestDatabase,
} from '@nqpf/testing';
import { refillStoreFromTopic } from './refill-store';

jest.setTimeout(60000);

const noted = (n: number): NewEvent => ({ type: 'test.noted', schemaVersion: 1, payload: { n } });
const meta = { actor: { id: 'clerk-1', role: 'system' as const }, correlationId: 'c-1' };

/** What a restore to an earlier point does to the store: the later rows are gone, the sequence is back. */
async function restoreBefore(db: TestDatabase, position: string): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query('set session_replication_role = replica');
    await client.query('delete from event_store.outbox where position >= $1', [position]);
    await client.query('delete from event_store.event_seals where position >= $1', [position]);
    await client.query('delete from event_store.events where position >= $1', [position]);
    await client.query(`select setval('event_store.event_position', $1::bigint - 1)`, [position]);
  } finally {
    await client.query('reset session_replication_role');
    client.release();
  }
}

describe('refilling a restored store from the copies on Kafka', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let kafka: Kafka;
  const topic = uniqueName('refill').replace(/_/g, '.');
  const review = () => ({ name: 'review', url: db.url });
  const keys = SealKeys.fromPem(
    generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  // The store here has no key (its events are from before seals): refilled as they are.
  const refill = (dryRun = false) =>
    refillStoreFromTopic(review(), kafka, topic, 'test.audit.replay.', keys, { dryRun });

  /** As the relay does: publish, then mark the outbox rows published. */
  async function publish(events: EventEnvelope[]): Promise<void> {
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, events.map(toWire));
    } finally {
      await publisher.disconnect();
    }
    await db.pool.query(
      'update event_store.outbox set published_at = now() where position = any($1::bigint[])',
      [events.map((e) => e.position)],
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase('refill');
    store = new PostgresEventStore(db.pool, { outboxTopic: topic });
    await store.migrate();
    kafka = createKafka('nqpf-refill-test', testInfra().kafkaBrokers);
    await createTestTopics([topic], 3);
  });
  afterAll(async () => db?.drop());

  it('puts back what the store lost and Kafka has, as it was stored, once', async () => {
    const a = (await store.append('a', [noted(1), noted(2)], meta)).events;
    const b = (await store.append('b', [noted(1)], meta)).events;
    const later = [
      ...(await store.append('a', [noted(3), noted(4)], meta)).events,
      ...(await store.append('c', [noted(1)], meta)).events,
    ];
    // Published as the relay does, one copy twice (a producer retry).
    await publish([...a, ...b, ...later, later[0]!]);
    const before = await store.heads();
    await restoreBefore(db, later[0]!.position);

    const dry = await eventually(async () => {
      const report = await refill(true);
      expect(report.read).toBe(7);
      return report;
    });
    expect(dry).toMatchObject({ refilled: 3, streams: 2, conflicts: [], dryRun: true });
    expect((await store.heads()).get('a')?.streamVersion).toBe(2);

    expect(await refill()).toMatchObject({ refilled: 3, streams: 2, conflicts: [] });
    expect(await store.heads()).toEqual(before);
    expect(await store.verify()).toMatchObject({ ok: true, checked: 6 });
    expect((await store.readStream('a')).map((e) => e.id)).toEqual(
      [...a, ...later.slice(0, 2)].map((e) => e.id),
    );
    // Already on Kafka: not published again; the next append takes a position after them.
    expect(await outboxStatus(db.pool)).toMatchObject({ unpublished: 0 });
    const next = (await store.append('b', [noted(2)], meta)).events[0]!;
    expect(BigInt(next.position)).toBeGreaterThan(BigInt(later[2]!.position));
    await publish([next]);
    expect(await refill()).toMatchObject({ refilled: 0, conflicts: [] });
  });

  it('names a stream that went another way after the restore, and inserts nothing', async () => {
    const lost = (await store.append('d', [noted(1), noted(2)], meta)).events;
    const alsoLost = (await store.append('e', [noted(1)], meta)).events;
    await publish([...lost, ...alsoLost]);
    await restoreBefore(db, lost[1]!.position);
    // The service ran on the restored database before anyone noticed: d's version 2 is another event now.
    const other = (await store.append('d', [noted(99)], meta)).events[0]!;
    // (eventually: until the new copies are readable on the topic.)
    const report = await eventually(async () => {
      const r = await refill();
      expect(r.conflicts).not.toEqual([]);
      return r;
    });
    expect(report.refilled).toBe(0);
    expect(report.conflicts).toEqual([
      {
        streamId: 'd',
        streamVersion: 2,
        detail: `the store's event here differs from the copy on Kafka (${lost[1]!.id}): the stream went another way after the restore`,
      },
    ]);
    expect((await store.heads()).has('e')).toBe(false);
    expect(other.streamVersion).toBe(2);
  });

  it('names, in the dry run too, the copies whose positions the service gave new events after the restore', async () => {
    // (Past the positions the earlier tests left on Kafka twice: a fresh stream here, its copies lost.)
    await db.pool.query(`select setval('event_store.event_position', 1000)`);
    const lost = (await store.append('f', [noted(1), noted(2)], meta)).events;
    await publish(lost);
    await restoreBefore(db, lost[0]!.position);
    // The service ran on the restored database: a new stream took the lost copies' first position.
    const taken = (await store.append('g', [noted(1)], meta)).events[0]!;
    expect(taken.position).toBe(lost[0]!.position);
    const expected = {
      streamId: 'f',
      streamVersion: 1,
      detail: `its position ${taken.position} is taken in the store by event ${taken.id} (stream g version 1): the service appended after the restore`,
    };
    const dry = await eventually(async () => {
      const r = await refill(true);
      expect(r.conflicts).toContainEqual(expected);
      return r;
    });
    expect(dry).toMatchObject({ refilled: 0, dryRun: true });
    const report = await refill();
    expect(report.conflicts).toContainEqual(expected);
    expect(report.refilled).toBe(0);
    expect((await store.heads()).has('f')).toBe(false);
  });
});

describe('a refill marks published the stored events Kafka already has', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let kafka: Kafka;
  const topic = uniqueName('refill_mark').replace(/_/g, '.');
  const keys = SealKeys.fromPem(
    generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  const refill = (dryRun = false) =>
    refillStoreFromTopic({ name: 'review', url: db.url }, kafka, topic, 'test.audit.replay.', keys, {
      dryRun,
    });
  /** Publishes; `mark`: then marks the outbox rows published, as the relay does. */
  async function publish(events: EventEnvelope[], mark: boolean): Promise<void> {
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, events.map(toWire));
    } finally {
      await publisher.disconnect();
    }
    if (mark)
      await db.pool.query(
        'update event_store.outbox set published_at = now() where position = any($1::bigint[])',
        [events.map((e) => e.position)],
      );
  }

  beforeAll(async () => {
    db = await createTestDatabase('refill_mark');
    store = new PostgresEventStore(db.pool, { outboxTopic: topic });
    await store.migrate();
    kafka = createKafka('nqpf-refill-mark-test', testInfra().kafkaBrokers);
    await createTestTopics([topic], 1);
  });
  afterAll(async () => db?.drop());

  it('so the relay does not send them again, and leaves alone what Kafka lacks', async () => {
    await publish((await store.append('m', [noted(1)], meta)).events, true);
    // The point restored to lies between this publish and its mark: the store's row says unpublished.
    const unmarked = (await store.append('m', [noted(2)], meta)).events;
    await publish(unmarked, false);
    // Never published: the relay sends it when the service starts.
    const pending = (await store.append('n', [noted(1)], meta)).events[0]!;
    const lost = (await store.append('m', [noted(3)], meta)).events;
    await publish(lost, true);
    await restoreBefore(db, lost[0]!.position);
    expect(await outboxStatus(db.pool)).toMatchObject({ unpublished: 2 });

    const dry = await eventually(async () => {
      const r = await refill(true);
      expect(r.read).toBe(3);
      return r;
    });
    expect(dry).toMatchObject({ refilled: 1, alreadyPublished: 1, conflicts: [] });
    expect(await outboxStatus(db.pool)).toMatchObject({ unpublished: 2 });
    expect(await refill()).toMatchObject({ refilled: 1, alreadyPublished: 1, conflicts: [] });
    expect(await outboxStatus(db.pool)).toMatchObject({
      unpublished: 1,
      firstUnpublished: pending.position,
    });
    expect(await refill()).toMatchObject({ refilled: 0, alreadyPublished: 0, conflicts: [] });
  });
});
