import type { Kafka } from 'kafkajs';
import type { NewEvent } from '@nqpf/contracts';
import { eventHash, PostgresEventStore } from '@nqpf/event-store';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  uniqueName,
  type TestDatabase,
} from '@nqpf/testing';
import { emptyTopicWarnings, headsFromTopics, takeHeads } from './stream-heads';
import { verifyStores } from './verify-stores';

jest.setTimeout(60000);

const noted = (n: number): NewEvent => ({ type: 'test.noted', schemaVersion: 1, payload: { n } });
const meta = { actor: { id: 'clerk-1', role: 'system' as const }, correlationId: 'c-1' };

describe('stream heads from the stores and from the copies on Kafka', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let kafka: Kafka;
  const topic = uniqueName('heads').replace(/_/g, '.');
  const review = () => ({ name: 'review', url: db.url });

  beforeAll(async () => {
    db = await createTestDatabase('heads');
    store = new PostgresEventStore(db.pool);
    await store.migrate();
    kafka = createKafka('nqpf-heads-test', testInfra().kafkaBrokers);
    await createTestTopics([topic], 3);
    await store.append('s1', [noted(1), noted(2), noted(3)], meta);
    await store.append('s2', [noted(1)], meta);
    // Published as the relay does, but s1's last event not yet (the store is ahead of Kafka), and one
    // copy twice (a producer retry).
    // (readStream, not readAll: readAll holds back rows newer than the cluster's oldest open transaction.)
    const published = [...(await store.readStream('s1')).slice(0, 2), ...(await store.readStream('s2'))];
    const publisher = new KafkaEventPublisher(kafka);
    try {
      await publisher.publish(topic, [...published, published[0]!].map(toWire));
    } finally {
      await publisher.disconnect();
    }
  });
  afterAll(async () => db?.drop());

  it('warns, naming store and topic, when heads come from an empty topic for a store that has streams', async () => {
    const empty = uniqueName('heads_empty').replace(/_/g, '.');
    await createTestTopics([empty], 3);
    const topics = { review: empty };
    // (eventually: a new topic's partitions have no leader for a moment.)
    const fromKafka = await eventually(() => headsFromTopics(kafka, topics, 'test.audit.replay.'));
    expect(fromKafka.stores).toEqual({ review: {} });
    expect(await emptyTopicWarnings(fromKafka, topics, [review()])).toEqual([
      `topic ${empty} holds no events, but store review has 2 streams: verify with this file checks them by ` +
        'their chains alone, without tail protection (check KAFKA_TOPIC_PREFIX and KAFKA_BROKERS)',
    ]);
    // A topic with the store's copies, or an empty store, leaves nothing unprotected.
    const published = await headsFromTopics(kafka, { review: topic }, 'test.audit.replay.');
    expect(await emptyTopicWarnings(published, { review: topic }, [review()])).toEqual([]);
    const nothing = await createTestDatabase('heads_nothing');
    try {
      await new PostgresEventStore(nothing.pool).migrate();
      const none = { name: 'review', url: nothing.url };
      expect(await emptyTopicWarnings(fromKafka, topics, [none])).toEqual([]);
    } finally {
      await nothing.drop();
    }
    const unreachable = { name: 'review', url: 'postgres://postgres@127.0.0.1:1/review' };
    expect(await emptyTopicWarnings(fromKafka, topics, [unreachable])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^topic ${empty.replace(/\./g, '\\.')} holds no events, and store review could not be read \\(.*ECONNREFUSED`,
        ),
      ),
    ]);
  });

  it('takes the heads the stores reach and those their copies on Kafka reach', async () => {
    const [, s1v2, s1v3] = await store.readStream('s1');
    const [s2v1] = await store.readStream('s2');
    const fromStore = await takeHeads([review()]);
    expect(fromStore.stores.review).toEqual({
      s1: { streamVersion: 3, hash: s1v3!.hash },
      s2: { streamVersion: 1, hash: s2v1!.hash },
    });
    const fromKafka = await headsFromTopics(kafka, { review: topic }, 'test.audit.replay.');
    expect(fromKafka.stores.review).toEqual({
      s1: { streamVersion: 2, hash: s1v2!.hash },
      s2: { streamVersion: 1, hash: s2v1!.hash },
    });
    const [verified] = await verifyStores([review()], fromKafka);
    expect(verified).toMatchObject({ ok: true, checked: 4, knownHeads: 2 });
    // Named otherwise than when the heads were taken: not checked against none (a cut tail would pass).
    const [misnamed] = await verifyStores([{ name: 'heads_db', url: db.url }], fromKafka);
    expect(misnamed).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not in the heads file \(it has review\)/),
    });
  });

  it('finds a rewritten event with a recomputed hash that the chains alone accept', async () => {
    const [original] = await store.readStream('s2');
    const forged = { ...original!, payload: { n: 99 } };
    const admin = await db.pool.connect();
    try {
      await admin.query('alter table event_store.events disable trigger all');
      await admin.query('update event_store.events set payload = $2, hash = $3 where event_id = $1', [
        original!.id,
        JSON.stringify(forged.payload),
        eventHash(forged),
      ]);
      await admin.query('alter table event_store.events enable trigger all');
    } finally {
      admin.release();
    }
    expect((await verifyStores([review()]))[0]).toMatchObject({ ok: true });
    const [verified] = await verifyStores(
      [review()],
      await headsFromTopics(kafka, { review: topic }, 'test.audit.replay.'),
    );
    expect(verified).toMatchObject({
      ok: false,
      firstBroken: { streamId: 's2', streamVersion: 1, eventId: original!.id, problem: 'modified' },
    });
  });
});
