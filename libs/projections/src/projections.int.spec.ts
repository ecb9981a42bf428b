import { Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  TestDatabase,
  uniqueName,
} from '@nqpf/testing';
import { createKafka, KafkaEventPublisher, toWire } from '@nqpf/messaging';
import { foldAsOf, projectAsOf } from './as-of';
import { readModelChecksum } from './checksum';
import { foldDocuments } from './document-projector';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjection, RebuildInProgressError } from './rebuild';
import { Tally, tallyEvent, tallyEvents, tallyProjector, tallyReducer } from './test-support';
import { readCheckpoints } from './checkpoints';
import type { Projector } from './projector';

jest.setTimeout(120000);

let db: TestDatabase;
let kafka: Kafka;
let publisher: KafkaEventPublisher;
const runners: ProjectionRunner[] = [];
/** Replays' throwaway consumer groups start with this. */
const replayGroupPrefix = 'test.projections.replay.';

beforeAll(async () => {
  db = await createTestDatabase('projections');
  kafka = createKafka(uniqueName('projections-test'), testInfra().kafkaBrokers);
  publisher = new KafkaEventPublisher(kafka);
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await publisher.disconnect();
  await db.drop();
});

function runner(projector: Projector, groupId = uniqueName('g-proj')) {
  const r = new ProjectionRunner({ kafka, pool: db.pool, projector, groupId, registry: new Registry() });
  runners.push(r);
  return r;
}

async function model(schema: string): Promise<Record<string, Tally>> {
  const { rows } = await db.pool.query(`select id, state from "${schema}".tally order by id`);
  return Object.fromEntries(rows.map((r) => [r.id, r.state]));
}

function expected(events: ReturnType<typeof tallyEvents>): Record<string, Tally> {
  return Object.fromEntries(foldDocuments(tallyReducer, events));
}

async function setup(partitions = 3) {
  const topic = uniqueName('proj');
  await createTestTopics([topic], partitions);
  const name = uniqueName('tally').toLowerCase();
  return { topic, name, projector: tallyProjector(name, [topic]) };
}

it('projects live, ignores a duplicate delivery, and a rebuild matches the live model by checksum', async () => {
  const { topic, name, projector } = await setup();
  const events = tallyEvents(300, 12);
  // A producer retry can put the same event at a new offset.
  await publisher.publish(
    topic,
    [...events.slice(0, 150), events[10]!, ...events.slice(150), events[200]!].map(toWire),
  );
  await runner(projector).start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));

  const rebuilt = await rebuildProjection({
    kafka,
    pool: db.pool,
    projector,
    replayGroupPrefix,
    swap: false,
  });
  expect(rebuilt.records).toBe(302);
  expect(rebuilt.applied).toBe(300);
  expect(rebuilt.checksum).toBe(await readModelChecksum(db.pool, projector, name));
  expect(await model(rebuilt.builtSchema)).toEqual(expected(events));
  await db.pool.query(`drop schema "${rebuilt.builtSchema}" cascade`);
});

it('swaps a rebuilt model in while the live runner keeps going, and the runner replays the tail', async () => {
  const { topic, name, projector } = await setup();
  const events = tallyEvents(400, 10);
  await publisher.publish(topic, events.slice(0, 200).map(toWire));
  await runner(projector).start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 200))));

  // What a rebuild that crashed half-way leaves behind goes with the next one.
  await db.pool.query(`create schema "${name}_rebuild_7"; create schema "${name}_retired_3"`);
  const rebuilt = await rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix });
  expect(rebuilt.swapped).toBe(true);
  await publisher.publish(topic, events.slice(200).map(toWire));

  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  const { rows } = await db.pool.query('select nspname from pg_namespace where nspname like $1', [
    `${name}%`,
  ]);
  expect(rows.map((r) => r.nspname)).toEqual([name]);
});

it('replays the tail that arrived during a rebuild even when nothing arrives after the swap', async () => {
  const { topic, name, projector } = await setup(2);
  const events = tallyEvents(240, 8);
  await publisher.publish(topic, events.slice(0, 200).map(toWire));
  const live = new ProjectionRunner({
    kafka,
    pool: db.pool,
    projector,
    groupId: uniqueName('g-tail'),
    registry: new Registry(),
    resyncIntervalMs: 300,
  });
  runners.push(live);
  await live.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 200))));

  // Built up to the first 200; the last 40 arrive (and go live) before the build is swapped in.
  const built = await rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix, swap: false });
  await publisher.publish(topic, events.slice(200).map(toWire));
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  await db.pool.query(
    `begin; drop schema "${name}" cascade; alter schema "${built.builtSchema}" rename to "${name}"; commit`,
  );
  expect(await model(name)).toEqual(expected(events.slice(0, 200)));

  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
});

it('replays the tail on a runner that restarted after it went live, nothing arriving after the swap', async () => {
  const { topic, name, projector } = await setup(2);
  const events = tallyEvents(240, 8);
  await publisher.publish(topic, events.slice(0, 200).map(toWire));
  const group = uniqueName('g-tail-restart');
  const options = { kafka, pool: db.pool, projector, groupId: group, resyncIntervalMs: 300 };
  const first = new ProjectionRunner({ ...options, registry: new Registry() });
  await first.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 200))));
  const built = await rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix, swap: false });
  await publisher.publish(topic, events.slice(200).map(toWire));
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  // The member restarts: the one that takes the partitions over has applied none of their batches.
  await first.stop();
  const second = new ProjectionRunner({ ...options, registry: new Registry() });
  runners.push(second);
  await second.start();
  await eventually(async () => expect(second.isHealthy()).toBe(true));
  await new Promise((r) => setTimeout(r, 1000));
  await db.pool.query(
    `begin; drop schema "${name}" cascade; alter schema "${built.builtSchema}" rename to "${name}"; commit`,
  );
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
});

/** Both members of the group joined and were given their partitions. */
async function groupStable(groupId: string, members: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(async () => {
      const { groups } = await admin.describeGroups([groupId]);
      expect([groups[0].state, groups[0].members.length]).toEqual(['Stable', members]);
    });
  } finally {
    await admin.disconnect();
  }
}

async function swapIn(name: string, builtSchema: string) {
  await db.pool.query(
    `begin; drop schema "${name}" cascade; alter schema "${builtSchema}" rename to "${name}"; commit`,
  );
}

it('replays the tail of a rebuild swapped in after a rebalance sought the partition past its checkpoint', async () => {
  const { topic, name, projector } = await setup(1);
  const events = tallyEvents(250, 5);
  const group = uniqueName('g-tail-rebalance');
  // No resync in this test's time: the first batch after the swap has to notice by itself.
  const options = { kafka, pool: db.pool, projector, groupId: group, resyncIntervalMs: 600_000 };
  const member = () => {
    const r = new ProjectionRunner({ ...options, registry: new Registry() });
    runners.push(r);
    return r;
  };
  await publisher.publish(topic, events.slice(0, 200).map(toWire));
  await member().start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 200))));
  const built = await rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix, swap: false });
  await publisher.publish(topic, events.slice(200, 240).map(toWire));
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 240))));

  // A second replica joins: the partition's owner seeks to the live checkpoint (240) …
  await member().start();
  await groupStable(group, 2);
  await new Promise((r) => setTimeout(r, 1000));
  // … and then the build (checkpoint 200) is swapped in: offsets 200–239 must be applied to it again.
  await swapIn(name, built.builtSchema);
  await publisher.publish(topic, events.slice(240).map(toWire));

  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
});

it('replays the tail on a runner given back a partition another member moved on, nothing arriving after the swap', async () => {
  const { topic, name, projector } = await setup(1);
  const events = tallyEvents(240, 8);
  const group = uniqueName('g-tail-regained');
  const options = { kafka, pool: db.pool, projector, groupId: group, resyncIntervalMs: 300 };
  const first = new ProjectionRunner({ ...options, registry: new Registry() });
  runners.push(first);
  await publisher.publish(topic, events.slice(0, 100).map(toWire));
  await first.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 100))));
  await first.stop();
  // Another member takes the partition on, past where the rebuild ends (200) to 240.
  const second = new ProjectionRunner({ ...options, registry: new Registry() });
  await second.start();
  await publisher.publish(topic, events.slice(100, 200).map(toWire));
  await eventually(async () => expect(await model(name)).toEqual(expected(events.slice(0, 200))));
  const built = await rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix, swap: false });
  await publisher.publish(topic, events.slice(200).map(toWire));
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  await second.stop();
  // The first runner gets it back: it last applied up to 100 itself.
  await first.start();
  await groupStable(group, 1);
  await new Promise((r) => setTimeout(r, 1000));
  await swapIn(name, built.builtSchema);

  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
});

it('seeks back to the stored checkpoint when Kafka committed offsets are ahead of the database', async () => {
  const { topic, name, projector } = await setup();
  const events = tallyEvents(120, 6);
  await publisher.publish(topic, events.map(toWire));
  const group = uniqueName('g-seek');
  const first = runner(projector, group);
  await first.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  await first.stop();
  runners.splice(runners.indexOf(first), 1);

  // The database loses the model (restored from an old backup); the group's Kafka offsets stay at the end.
  await db.pool.query(`drop schema "${name}" cascade`);
  await runner(projector, group).start();

  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  const checkpoints = await readCheckpoints(db.pool, name);
  expect(checkpoints.reduce((sum, c) => sum + Number(c.nextOffset), 0)).toBe(120);
});

it('holds a partition shorter than its checkpoint (a replaced topic) as a failing batch, applying nothing', async () => {
  const { topic, name, projector } = await setup(1);
  const registry = new Registry();
  const groupId = uniqueName('g-short');
  const first = runner(projector, groupId);
  await first.start();
  await first.stop();
  runners.splice(runners.indexOf(first), 1);
  // The model applied 100 records of a partition that now holds 3 (the topic recreated, republished).
  await db.pool.query(
    `insert into "${name}"._checkpoints (topic, partition, next_offset) values ($1, 0, 100)
     on conflict (topic, partition) do update set next_offset = 100`,
    [topic],
  );
  await publisher.publish(topic, tallyEvents(3, 1).map(toWire));
  const r = new ProjectionRunner({
    kafka,
    pool: db.pool,
    projector,
    groupId: uniqueName('g-short'),
    registry,
  });
  runners.push(r);
  await r.start();
  const failed = async () =>
    (await registry.getSingleMetric('nqpf_consumer_failed_attempts_total')!.get()).values
      .filter((v) => v.labels.topic === topic)
      .reduce((sum, v) => sum + v.value, 0);
  await eventually(async () => expect(await failed()).toBeGreaterThan(0));
  expect(await model(name)).toEqual({});
  expect((await readCheckpoints(db.pool, name)).map((c) => c.nextOffset)).toEqual(['100']);
});

it('replays as of a time or a position without touching the live model', async () => {
  const { topic, name, projector } = await setup(2);
  const early = tallyEvents(50, 5, new Date('2025-03-01T00:00:00Z'));
  const late = Array.from({ length: 5 }, (_, i) =>
    tallyEvent(`center-${i}`, 11, 999, new Date('2025-03-02T00:00:00Z')),
  );
  await publisher.publish(topic, [...early, ...late].map(toWire));
  await runner(projector).start();
  await eventually(async () => expect(await model(name)).toEqual(expected([...early, ...late])));
  const liveChecksum = await readModelChecksum(db.pool, projector, name);

  const endOfMarch1 = { recordedAt: new Date('2025-03-01T23:59:59.999Z') };
  const intoSchema = () =>
    projectAsOf({ kafka, pool: db.pool, projector, replayGroupPrefix, asOf: endOfMarch1 });
  const asOf = await intoSchema();
  try {
    expect(await model(asOf.schema)).toEqual(expected(early));
  } finally {
    await asOf.drop();
  }
  // Two at once (two callers, two replicas) pick the same next name: each ends with a schema of its own.
  const twice = await Promise.all([intoSchema(), intoSchema()]);
  try {
    expect(new Set(twice.map((m) => m.schema)).size).toBe(2);
    for (const m of twice) expect(await model(m.schema)).toEqual(expected(early));
  } finally {
    await Promise.all(twice.map((m) => m.drop()));
  }
  const inMemory = await foldAsOf({
    kafka,
    topics: [topic],
    reducer: tallyReducer,
    replayGroupPrefix,
    asOf: endOfMarch1,
  });
  expect(Object.fromEntries(inMemory)).toEqual(expected(early));

  // By position: only the first 10 records of partition 0 and none of partition 1.
  const byOffset = await foldAsOf({
    kafka,
    topics: [topic],
    reducer: tallyReducer,
    replayGroupPrefix,
    asOf: { endOffsets: { [topic]: { 0: '10', 1: '0' } } },
  });
  expect([...byOffset.values()].reduce((sum, t) => sum + t.events, 0)).toBe(10);
  expect(await readModelChecksum(db.pool, projector, name)).toBe(liveChecksum);
});

it('refuses a second rebuild of the same projection while one holds the lock', async () => {
  const { topic, projector, name } = await setup(1);
  await publisher.publish(topic, tallyEvents(5, 1).map(toWire));
  const holder = await db.pool.connect();
  try {
    await holder.query('select pg_advisory_lock(hashtext($1))', [`nqpf.projection.rebuild:${name}`]);
    await expect(
      rebuildProjection({ kafka, pool: db.pool, projector, replayGroupPrefix }),
    ).rejects.toBeInstanceOf(RebuildInProgressError);
  } finally {
    await holder.query('select pg_advisory_unlock_all()');
    holder.release();
  }
});

it('applies each event once when one of two runners of a projection leaves mid-stream', async () => {
  const { topic, name, projector } = await setup(6);
  const group = uniqueName('g-proj-rebalance');
  const slow = {
    ...projector,
    apply: async (...args: Parameters<typeof projector.apply>) => {
      await new Promise((r) => setTimeout(r, 20));
      await projector.apply(...args);
    },
  };
  const first = runner(slow, group);
  const second = runner(slow, group);
  await Promise.all([first.start(), second.start()]);
  const events = tallyEvents(600, 30);
  await publisher.publish(topic, events.slice(0, 300).map(toWire));
  await eventually(async () => expect(Object.keys(await model(name)).length).toBeGreaterThan(5));
  await second.stop();
  runners.splice(runners.indexOf(second), 1);
  await publisher.publish(topic, events.slice(300).map(toWire));

  await eventually(async () => expect(await model(name)).toEqual(expected(events)), 60000);
});

it('counts each record it dead-letters in nqpf_consumer_dead_lettered_total, from a series at 0', async () => {
  const { topic, name, projector } = await setup(1);
  const registry = new Registry();
  const groupId = uniqueName('g-proj-dlt');
  const r = new ProjectionRunner({ kafka, pool: db.pool, projector, groupId, registry });
  runners.push(r);
  const deadLettered = async () =>
    (await registry.getSingleMetric('nqpf_consumer_dead_lettered_total')!.get()).values
      .filter(
        (v) => v.labels.group === groupId && v.labels.topic === topic && v.labels.reason === 'unparseable',
      )
      .map((v) => v.value);
  expect(await deadLettered()).toEqual([0]);
  const events = tallyEvents(3, 1);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'x', value: 'not json' }] });
  await producer.disconnect();
  await publisher.publish(topic, events.map(toWire));
  await r.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  expect(await deadLettered()).toEqual([1]);
});

it('dead-letters a record of a type its contracts do not know, and projects the rest', async () => {
  const { topic, name, projector } = await setup(1);
  const registry = new Registry();
  const groupId = uniqueName('g-proj-unknown');
  const withContracts: Projector = { ...projector, validate: { Tallied: () => [] } };
  const r = new ProjectionRunner({ kafka, pool: db.pool, projector: withContracts, groupId, registry });
  runners.push(r);
  const events = tallyEvents(3, 1);
  const renamed = { ...tallyEvent('center-9', 1, 500), type: 'Tallied2' };
  await publisher.publish(topic, [renamed, ...events].map(toWire));
  await r.start();
  await eventually(async () => expect(await model(name)).toEqual(expected(events)));
  const deadLettered = (await registry.getSingleMetric('nqpf_consumer_dead_lettered_total')!.get()).values
    .filter((v) => v.labels.group === groupId && v.labels.reason === 'unknown-type')
    .map((v) => v.value);
  expect(deadLettered).toEqual([1]);
});
