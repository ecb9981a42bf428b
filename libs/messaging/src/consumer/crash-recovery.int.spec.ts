import { spawn } from 'node:child_process';
import path from 'node:path';
import { Registry } from 'prom-client';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  repoRoot,
  testInfra,
  TestDatabase,
  uniqueName,
} from '@nqpf/testing';
import { createKafka } from '../kafka';
import { KafkaEventPublisher } from '../producer';
import { toWire } from '../wire';
import { EventConsumer } from './event-consumer';
import { testEnvelope } from './test-support';

jest.setTimeout(120000);

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('crash');
});

afterAll(async () => {
  await db.drop();
});

function runUntilKilled(env: Record<string, string>): Promise<NodeJS.Signals | null> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'crash-child.fixture.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json') },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

it('applies an event once when the process dies after its transaction but before the offset commit', async () => {
  const topic = uniqueName('crash');
  const group = uniqueName('g-crash');
  const table = uniqueName('effects').toLowerCase();
  await createTestTopics([topic], 1);
  await db.pool.query(`create table ${table} (event_id text not null)`);
  const kafka = createKafka(uniqueName('crash-test'), testInfra().kafkaBrokers);
  const publisher = new KafkaEventPublisher(kafka);
  const events = [testEnvelope('c-1', 1), testEnvelope('c-1', 2, { crash: true }), testEnvelope('c-1', 3)];
  await publisher.publish(topic, events.map(toWire));
  await publisher.disconnect();

  const signal = await runUntilKilled({
    CRASH_DATABASE_URL: db.url,
    CRASH_BROKERS: testInfra().kafkaBrokers.join(','),
    CRASH_GROUP: group,
    CRASH_TOPIC: topic,
    CRASH_TABLE: table,
  });
  expect(signal).toBe('SIGKILL');
  const before = await db.pool.query(`select event_id from ${table}`);
  expect(before.rows.map((r) => r.event_id).sort()).toEqual([events[0]!.id, events[1]!.id].sort());

  const registry = new Registry();
  const restarted = new EventConsumer({
    kafka,
    groupId: group,
    topics: [topic],
    pool: db.pool,
    registry,
    handle: async (event, tx) => {
      await tx.query(`insert into ${table} (event_id) values ($1)`, [event.id]);
    },
  });
  await restarted.start();
  try {
    await eventually(async () => {
      const { rows } = await db.pool.query(`select event_id from ${table}`);
      expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.id).sort());
    }, 60000);
    const duplicates = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'nqpf_consumer_duplicates_total',
    );
    // The first event's offset was committed as it was handled (the first commit goes at once, the
    // handler waits for it), so only the second, applied but not committed, comes back: no second effect.
    expect(duplicates?.values.reduce((s, v) => s + v.value, 0)).toBe(1);
  } finally {
    await restarted.stop();
  }
});
