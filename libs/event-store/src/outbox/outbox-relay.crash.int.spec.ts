import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createKafka, KafkaEventPublisher } from '@nqpf/messaging';
import {
  createTestTopics,
  eventually,
  repoRoot,
  testInfra,
  uniqueName,
  type TestDatabase,
} from '@nqpf/testing';
import type { EventEnvelope, NewEvent } from '@nqpf/contracts';
import { PostgresEventStore } from '../postgres-event-store';
import { createTestStore, meta } from '../test-fixtures';
import { collectTopic, countById, type Received } from './kafka-collector.fixture';
import { OutboxRelay } from './outbox-relay';

/** Starts the relay child (node -r @swc-node/register) and resolves once Kafka acked its first batch. */
function startChildRelay(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'relay-crash-child.fixture.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child relay did not publish in time: ${stderr}`));
    }, 30000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ACKED')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`child relay exited early (${code}): ${stderr}`)));
  });
}

describe('OutboxRelay after a crash', () => {
  let db: TestDatabase;
  let topic: string;
  let collector: { received: Received[]; stop: () => Promise<void> };
  let publisher: KafkaEventPublisher;
  let survivor: OutboxRelay | undefined;

  beforeAll(async () => {
    topic = uniqueName('es_crash');
    await createTestTopics([topic], 3);
    ({ db } = await createTestStore());
    publisher = new KafkaEventPublisher(createKafka('es-crash-test', testInfra().kafkaBrokers));
    collector = await collectTopic(topic);
  });
  afterAll(async () => {
    await survivor?.stop();
    await collector.stop();
    await publisher.disconnect();
    await db.drop();
  });

  it('loses nothing when killed between the Kafka ack and marking rows published, only duplicates', async () => {
    const store = new PostgresEventStore(db.pool, { schema: 'crash', outboxTopic: topic });
    await store.migrate();
    const appended: EventEnvelope[] = [];
    for (const center of ['k1', 'k2', 'k3']) {
      const events: NewEvent[] = Array.from({ length: 10 }, (_, i) => ({
        type: 'ActivityRecorded',
        schemaVersion: 1,
        payload: { i },
        centerId: center,
      }));
      appended.push(...(await store.append(`s-${center}`, events, meta())).events);
    }

    const child = await startChildRelay({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      STORE_SCHEMA: 'crash',
      BATCH_SIZE: '12',
    });
    // The child holds the lease: a second instance waits and publishes nothing.
    survivor = new OutboxRelay({ pool: db.pool, publisher, schema: 'crash', leaseRetryMs: 100 });
    survivor.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(survivor.holdsLease).toBe(false);
    expect(await survivor.backlog()).toBe(30);

    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    await eventually(async () => expect(survivor!.holdsLease).toBe(true));
    await eventually(async () => expect(await survivor!.backlog()).toBe(0));
    await eventually(async () => {
      const counts = countById(collector.received);
      expect(appended.every((e) => (counts.get(e.id) ?? 0) >= 1)).toBe(true);
      expect(collector.received).toHaveLength(42); // 30 events, the 12 acked before the kill twice
    });
    const counts = countById(collector.received);
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    expect([...counts.keys()].sort()).toEqual(appended.map((e) => e.id).sort());
    // Per key, the first deliveries keep stream order.
    for (const center of ['k1', 'k2', 'k3']) {
      const firstSeen = [
        ...new Set(collector.received.filter((m) => m.key === center).map((m) => m.eventId)),
      ];
      expect(firstSeen).toEqual(appended.filter((e) => e.centerId === center).map((e) => e.id));
    }
  });
});
