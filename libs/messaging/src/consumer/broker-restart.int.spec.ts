import { Registry } from 'prom-client';
import { createTestDatabase, eventually, PrivateBroker, TestDatabase, uniqueName } from '@nqpf/testing';
import { createKafka, createTopics } from '../kafka';
import { KafkaEventPublisher } from '../producer';
import { toWire } from '../wire';
import { EventConsumer } from './event-consumer';
import { testEnvelope } from './test-support';

// A private broker of its own: the shared one on 19092 serves everybody else's tests and is never restarted.
jest.setTimeout(360000);

const broker = new PrivateBroker(29092, 29093);

let db: TestDatabase;

beforeAll(async () => {
  await broker.start();
  db = await createTestDatabase('restart');
});

afterAll(async () => {
  await broker.destroy();
  await db?.drop();
});

it('producer and consumer ride out a broker restart mid-stream and nothing is lost or applied twice', async () => {
  const kafka = createKafka(uniqueName('restart'), broker.brokers);
  const topic = uniqueName('restart');
  await createTopics(kafka, [topic], 3);
  const table = uniqueName('effects').toLowerCase();
  await db.pool.query(`create table ${table} (event_id text not null)`);
  const publisher = new KafkaEventPublisher(kafka);
  const consumer = new EventConsumer({
    kafka,
    groupId: uniqueName('g-restart'),
    topics: [topic],
    pool: db.pool,
    registry: new Registry(),
    sessionTimeoutMs: 10000,
    handle: async (event, tx) => {
      await tx.query(`insert into ${table} (event_id) values ($1)`, [event.id]);
    },
  });
  const counts = async () =>
    (
      await db.pool.query(
        `select count(*)::int as total, count(distinct event_id)::int as distinct from ${table}`,
      )
    ).rows[0];
  try {
    await consumer.start();
    const events = Array.from({ length: 200 }, (_, i) =>
      testEnvelope(`center-${i % 20}`, Math.floor(i / 20) + 1),
    );
    await publisher.publish(topic, events.slice(0, 100).map(toWire));
    await eventually(async () => expect(await counts()).toEqual({ total: 100, distinct: 100 }), 60000);

    await broker.stop();
    // Sent while the broker is down: the producer must retry until it is back.
    const publishing = publisher.publish(topic, events.slice(100).map(toWire));
    await new Promise((r) => setTimeout(r, 3000));
    await broker.start();
    await publishing;

    await eventually(async () => expect(await counts()).toEqual({ total: 200, distinct: 200 }), 120000);
    await eventually(async () => expect(consumer.isHealthy()).toBe(true), 60000);
  } finally {
    await consumer.stop();
    await publisher.disconnect();
  }
});
