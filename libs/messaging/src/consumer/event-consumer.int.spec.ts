import { Registry } from 'prom-client';
import { Kafka } from 'kafkajs';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  TestDatabase,
  uniqueName,
} from '@nqpf/testing';
import { deadLetterTopic, EventEnvelope } from '@nqpf/contracts';
import { createKafka } from '../kafka';
import { KafkaEventPublisher } from '../producer';
import { toWire } from '../wire';
import { EventConsumer, EventConsumerOptions } from './event-consumer';
import { inboxTableName } from './inbox';
import { NotReadyYet } from './not-ready';
import { testEnvelope } from './test-support';

jest.setTimeout(90000);

let db: TestDatabase;
let kafka: Kafka;
let publisher: KafkaEventPublisher;
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  db = await createTestDatabase('consumer');
  kafka = createKafka(uniqueName('consumer-test'), testInfra().kafkaBrokers);
  publisher = new KafkaEventPublisher(kafka);
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

afterAll(async () => {
  await publisher.disconnect();
  await db.drop();
});

async function effectsTable(): Promise<string> {
  const table = uniqueName('effects').toLowerCase();
  await db.pool.query(`create table ${table} (event_id text not null, center_id text not null)`);
  return table;
}

function consumer(options: Partial<EventConsumerOptions> & Pick<EventConsumerOptions, 'groupId' | 'topics'>) {
  const c = new EventConsumer({
    kafka,
    pool: db.pool,
    handle: async () => undefined,
    backoff: { initialMs: 20, maxMs: 100 },
    registry: new Registry(),
    ...options,
  });
  consumers.push(c);
  return c;
}

function recordEffect(table: string) {
  return async (event: EventEnvelope, tx: import('pg').PoolClient) => {
    await tx.query(`insert into ${table} (event_id, center_id) values ($1, $2)`, [event.id, event.centerId]);
  };
}

async function effectCounts(table: string): Promise<{ total: number; distinct: number }> {
  const { rows } = await db.pool.query(
    `select count(*)::int as total, count(distinct event_id)::int as distinct from ${table}`,
  );
  return rows[0];
}

async function metricTotal(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

/** The group's committed offset on the topic's partition 0 ('-1' when none). */
async function committedOffset(group: string, topic: string): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return offsets!.partitions.find((p) => p.partition === 0)!.offset;
  } finally {
    await admin.disconnect();
  }
}

async function readDeadLetters(group: string, expected: number) {
  const reader = kafka.consumer({ groupId: uniqueName('dlt-reader') });
  const seen: { value: string | null; headers: Record<string, string> }[] = [];
  await reader.connect();
  await reader.subscribe({ topics: [deadLetterTopic(group)], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      seen.push({ value: message.value?.toString() ?? null, headers });
    },
  });
  try {
    await eventually(async () => expect(seen).toHaveLength(expected), 30000);
  } finally {
    await reader.disconnect();
  }
  return seen;
}

it('applies a redelivered event (same id at a new offset) only once', async () => {
  const topic = uniqueName('consumer-dup');
  await createTestTopics([topic], 3);
  const table = await effectsTable();
  const event = testEnvelope('center-1', 1);
  const other = testEnvelope('center-2', 1);
  await publisher.publish(topic, [toWire(event), toWire(event), toWire(other), toWire(event)]);

  const registry = new Registry();
  const c = consumer({
    groupId: uniqueName('g-dup'),
    topics: [topic],
    handle: recordEffect(table),
    registry,
  });
  await c.start();

  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 2 }));
  await eventually(async () => expect(await metricTotal(registry, 'nqpf_consumer_duplicates_total')).toBe(2));
  expect(await metricTotal(registry, 'nqpf_consumer_handled_total')).toBe(2);
  expect(c.isHealthy()).toBe(true);
});

it('passes over event types it does not handle: no transaction, no inbox row, offsets move on', async () => {
  const topic = uniqueName('consumer-types');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-types');
  const wanted = testEnvelope('center-1', 1);
  const other = { ...testEnvelope('center-1', 2), type: 'OtherHappened' };
  const last = testEnvelope('center-1', 3);
  await publisher.publish(topic, [toWire(wanted), toWire(other), toWire(last)]);

  const registry = new Registry();
  const c = consumer({
    groupId: group,
    topics: [topic],
    eventTypes: ['TestHappened'],
    handle: recordEffect(table),
    registry,
  });
  await c.start();

  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 2 }));
  const { rows } = await db.pool.query(`select event_id from messaging.${inboxTableName(group)}`);
  expect(rows.map((r) => r.event_id).sort()).toEqual([wanted.id, last.id].sort());
  await eventually(async () => expect(await committedOffset(group, topic)).toBe('3'));
});

it('dead-letters a type, or a schema version of a type, no contract of the consumer knows (a newer producer, a rename), never drops it unseen', async () => {
  const topic = uniqueName('consumer-unknown');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-unknown');
  const wanted = testEnvelope('center-1', 1);
  const known = { ...testEnvelope('center-1', 2), type: 'OtherHappened' };
  const renamed = { ...testEnvelope('center-1', 3), type: 'TestHapened' };
  // Without the type header, sorted once parsed: a known type is passed over, an unknown one dead-lettered.
  const bare = (e: EventEnvelope) => ({ ...toWire(e), headers: {} });
  const knownBare = { ...testEnvelope('center-1', 4), type: 'OtherHappened' };
  const renamedBare = { ...testEnvelope('center-1', 5), type: 'TestHapened' };
  // A schema version of a handled type that no contract describes (a newer producer's breaking change) is
  // as unknown as a type; one of a known type the consumer does not act on is passed over like the type.
  const newer = { ...testEnvelope('center-1', 6), schemaVersion: 99 };
  const knownNewer = { ...testEnvelope('center-1', 7), type: 'OtherHappened', schemaVersion: 99 };
  const last = testEnvelope('center-1', 8);
  await publisher.publish(topic, [
    toWire(wanted),
    toWire(known),
    toWire(renamed),
    bare(knownBare),
    bare(renamedBare),
    toWire(newer),
    toWire(knownNewer),
    toWire(last),
  ]);

  const registry = new Registry();
  const c = consumer({
    groupId: group,
    topics: [topic],
    eventTypes: ['TestHappened'],
    validate: { TestHappened: { type: 'object' }, OtherHappened: { type: 'object' } },
    handle: recordEffect(table),
    registry,
  });
  await c.start();

  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 2 }));
  const dead = await readDeadLetters(group, 3);
  expect(dead.map((d) => [d.headers['nqpf-dlt-reason'], JSON.parse(d.value!).id])).toEqual([
    ['unknown-type', renamed.id],
    ['unknown-type', renamedBare.id],
    ['unknown-type', newer.id],
  ]);
  expect(dead[2]!.headers['nqpf-dlt-error']).toBe(
    "schema version 99 of the event type TestHappened is not one this consumer's contracts know",
  );
  expect(await metricTotal(registry, 'nqpf_consumer_dead_lettered_total')).toBe(3);
});

it('runs an idempotent handler without inbox or transaction, and retries a lost connection as a wait, not an attempt', async () => {
  const topic = uniqueName('consumer-idem');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-idem');
  const event = testEnvelope('center-1', 1);
  await publisher.publish(topic, [toWire(event), toWire(event)]);

  const registry = new Registry();
  let cut = false;
  const c = consumer({
    groupId: group,
    topics: [topic],
    idempotent: true,
    registry,
    maxAttempts: 1,
    handle: async (e, db) => {
      if (!cut) {
        cut = true;
        throw Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
        });
      }
      await recordEffect(table)(e, db);
    },
  });
  await c.start();

  // Both deliveries ran the handler (no inbox); the cut connection was retried, not dead-lettered.
  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 1 }));
  expect(await metricTotal(registry, 'nqpf_consumer_failed_attempts_total')).toBe(0);
  // Counted as a wait (NqpfConsumerWaiting): the lag gauge would not show a partition held by it.
  expect(await metricTotal(registry, 'nqpf_consumer_waits_total')).toBe(1);
  expect(await metricTotal(registry, 'nqpf_consumer_dead_lettered_total')).toBe(0);
  const inbox = await db.pool.query(`select to_regclass($1) as t`, [`messaging.${inboxTableName(group)}`]);
  expect(inbox.rows[0].t).toBeNull();
});

it('waits out a handler that is not ready yet without counting attempts, in order, then applies it once', async () => {
  const topic = uniqueName('consumer-wait');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const first = testEnvelope('center-1', 1);
  const second = testEnvelope('center-1', 2);
  await publisher.publish(topic, [toWire(first), toWire(second)]);

  const registry = new Registry();
  let notReady = 6;
  const c = consumer({
    groupId: uniqueName('g-wait'),
    topics: [topic],
    registry,
    maxAttempts: 2,
    handle: async (event, tx) => {
      if (event.id === first.id && notReady-- > 0) throw new NotReadyYet('copy behind');
      await recordEffect(table)(event, tx);
    },
  });
  await c.start();

  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 2 }));
  const { rows } = await db.pool.query(`select event_id from ${table} order by ctid`);
  expect(rows.map((r) => r.event_id)).toEqual([first.id, second.id]);
  expect(notReady).toBe(-1);
  expect(await metricTotal(registry, 'nqpf_consumer_waits_total')).toBe(6);
  expect(await metricTotal(registry, 'nqpf_consumer_failed_attempts_total')).toBe(0);
  expect(await metricTotal(registry, 'nqpf_consumer_dead_lettered_total')).toBe(0);
});

it('lets a replica join while a record waits: the waiting batch ends at once, the other partition flows', async () => {
  const topic = uniqueName('consumer-wait-rebalance');
  await createTestTopics([topic], 2);
  const table = await effectsTable();
  const group = uniqueName('g-wait-rebalance');
  const blocked = testEnvelope('center-blocked', 1);
  let released = false;
  const handle: EventConsumerOptions['handle'] = async (event, tx) => {
    if (event.id === blocked.id && !released) throw new NotReadyYet('copy behind');
    await recordEffect(table)(event, tx);
  };
  const registry = new Registry();
  const first = consumer({ groupId: group, topics: [topic], handle, registry, sessionTimeoutMs: 10000 });
  await first.start();
  await publisher.publish(topic, [toWire(blocked)]);
  await eventually(async () =>
    expect(await metricTotal(registry, 'nqpf_consumer_waits_total')).toBeGreaterThan(2),
  );

  // The second replica's join used to wait for the first to leave its batch: the rebalance timeout, 60 s.
  const joining = Date.now();
  const second = consumer({ groupId: group, topics: [topic], handle, sessionTimeoutMs: 10000 });
  await second.start();
  const others = Array.from({ length: 20 }, (_, i) => testEnvelope(`center-${i}`, 1));
  await publisher.publish(topic, others.map(toWire));
  // Those on the partition without the waiting record are applied while it still waits.
  await eventually(async () => expect((await effectCounts(table)).total).toBeGreaterThan(0), 20000);
  expect(Date.now() - joining).toBeLessThan(30000);

  released = true;
  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 21, distinct: 21 }), 60000);
});

it('dead-letters poison records with the original bytes while later records on the partition still flow', async () => {
  const topic = uniqueName('consumer-poison');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-poison');
  const good1 = testEnvelope('center-1', 1, { amountFen: 100 });
  const invalid = testEnvelope('center-1', 2, { amountFen: -5 });
  const failing = testEnvelope('center-1', 3, { amountFen: 7, explode: true });
  const good2 = testEnvelope('center-1', 4, { amountFen: 200 });
  const garbage = { key: 'center-1', value: Buffer.from('{not json'), headers: { origin: 'fuzz' } };
  await publisher.publish(topic, [toWire(good1), garbage, toWire(invalid), toWire(failing), toWire(good2)]);

  const registry = new Registry();
  let failingAttempts = 0;
  const c = consumer({
    groupId: group,
    topics: [topic],
    registry,
    maxAttempts: 3,
    validate: {
      TestHappened: { type: 'object', properties: { amountFen: { type: 'integer', minimum: 0 } } },
    },
    handle: async (event, tx) => {
      if ((event.payload as { explode?: boolean }).explode) {
        failingAttempts++;
        throw new Error('handler exploded');
      }
      await recordEffect(table)(event, tx);
    },
  });
  await c.start();

  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 2, distinct: 2 }));
  const dead = await readDeadLetters(group, 3);
  expect(failingAttempts).toBe(3);
  expect(dead.map((d) => d.headers['nqpf-dlt-reason'])).toEqual(['unparseable', 'invalid', 'handler-failed']);
  expect(dead[0]).toMatchObject({
    value: '{not json',
    headers: { origin: 'fuzz', 'nqpf-dlt-original-topic': topic, 'nqpf-dlt-original-offset': '1' },
  });
  expect(dead[1]!.headers['nqpf-dlt-error']).toBe('payload.amountFen: must be ≥ 0');
  expect(dead[2]).toMatchObject({ headers: { 'nqpf-event-id': failing.id, 'nqpf-dlt-attempts': '3' } });
  expect(JSON.parse(dead[2]!.value!).id).toBe(failing.id);

  expect(await metricTotal(registry, 'nqpf_consumer_dead_lettered_total')).toBe(3);
  await eventually(async () => {
    const lag = (await registry.getMetricsAsJSON()).find((x) => x.name === 'nqpf_consumer_lag')!;
    expect(lag.values).toEqual([
      expect.objectContaining({ value: 0, labels: expect.objectContaining({ topic }) }),
    ]);
  });
  expect(c.isHealthy()).toBe(true);
});

it('applies each event exactly once when one of two group members leaves mid-stream', async () => {
  const topic = uniqueName('consumer-rebalance');
  await createTestTopics([topic], 6);
  const table = await effectsTable();
  const group = uniqueName('g-rebalance');
  const slowly = (handle: EventConsumerOptions['handle']): EventConsumerOptions['handle'] => {
    return async (event, tx) => {
      await new Promise((r) => setTimeout(r, 5));
      await handle(event, tx);
    };
  };
  const first = consumer({ groupId: group, topics: [topic], handle: slowly(recordEffect(table)) });
  const second = consumer({ groupId: group, topics: [topic], handle: slowly(recordEffect(table)) });
  await Promise.all([first.start(), second.start()]);

  const events = Array.from({ length: 600 }, (_, i) =>
    testEnvelope(`center-${i % 40}`, Math.floor(i / 40) + 1),
  );
  await publisher.publish(topic, events.slice(0, 300).map(toWire));
  await eventually(async () => expect((await effectCounts(table)).total).toBeGreaterThan(100));
  await second.stop();
  consumers.splice(consumers.indexOf(second), 1);
  await publisher.publish(topic, events.slice(300).map(toWire));

  await eventually(
    async () => expect(await effectCounts(table)).toEqual({ total: 600, distinct: 600 }),
    60000,
  );
});

it('commits on stop what the batch in hand handled before it: the next member starts after it', async () => {
  const topic = uniqueName('consumer-stop');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-stop');
  await publisher.publish(
    topic,
    [1, 2, 3, 4].map((v) => toWire(testEnvelope('center-1', v))),
  );
  const slow: EventConsumerOptions['handle'] = async (event, tx) => {
    await recordEffect(table)(event, tx);
    await new Promise((r) => setTimeout(r, 1500));
  };
  const c = consumer({ groupId: group, topics: [topic], handle: slow });
  await c.start();
  // Stopped while the one batch of four is in hand, after its first record.
  await eventually(async () => expect((await effectCounts(table)).total).toBeGreaterThan(0), 30000);
  await c.stop();
  consumers.splice(consumers.indexOf(c), 1);
  const handled = (await effectCounts(table)).total;
  expect(handled).toBeLessThan(4);
  expect(await committedOffset(group, topic)).toBe(String(handled));
});

it('commits the records of a long batch as they are handled, not only at its end', async () => {
  const topic = uniqueName('consumer-long');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-long');
  await publisher.publish(
    topic,
    [1, 2, 3, 4, 5, 6].map((v) => toWire(testEnvelope('center-1', v))),
  );
  const slow: EventConsumerOptions['handle'] = async (event, tx) => {
    await recordEffect(table)(event, tx);
    await new Promise((r) => setTimeout(r, 1000));
  };
  await consumer({ groupId: group, topics: [topic], handle: slow }).start();
  // Within the one batch of six (6 s): the group's offset moves past what was handled before it ends.
  await eventually(
    async () => expect(Number(await committedOffset(group, topic))).toBeGreaterThanOrEqual(2),
    30000,
  );
  expect((await effectCounts(table)).total).toBeLessThan(6);
});

it('lets a replica join in the middle of a long batch: the batch ends at the rebalance, not when done', async () => {
  const topic = uniqueName('consumer-join-long');
  await createTestTopics([topic], 1);
  const table = await effectsTable();
  const group = uniqueName('g-join-long');
  const events = Array.from({ length: 12 }, (_, i) => testEnvelope('center-1', i + 1));
  await publisher.publish(topic, events.map(toWire));
  const slow: EventConsumerOptions['handle'] = async (event, tx) => {
    await recordEffect(table)(event, tx);
    await new Promise((r) => setTimeout(r, 1000));
  };
  await consumer({ groupId: group, topics: [topic], handle: slow }).start();
  await eventually(async () => expect((await effectCounts(table)).total).toBeGreaterThan(0), 30000);
  // The join completes once every member has rejoined: the first one only between batches, unless its
  // heartbeats, sent as it handles records, tell it of the rebalance. The batch had ~11 s to go.
  const joining = Date.now();
  await consumer({ groupId: group, topics: [topic], handle: slow }).start();
  expect(Date.now() - joining).toBeLessThan(6000);
  await eventually(async () => expect(await effectCounts(table)).toEqual({ total: 12, distinct: 12 }), 60000);
});
