import { generateKeyPairSync } from 'node:crypto';
import { Readable } from 'node:stream';
import { serviceTopic, type NewEvent } from '@nqpf/contracts';
import { EventSealer, OutboxRelay, PostgresEventStore, SealKeys } from '@nqpf/event-store';
import { createKafka, KafkaEventPublisher } from '@nqpf/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  testInfra,
  uniqueName,
  writeTempFile,
  type TestDatabase,
} from '@nqpf/testing';
import { collectTopic, type Received } from '../../../../libs/event-store/src/outbox/kafka-collector.fixture';
import { runCaptured } from '../run-captured.spec-helper';
import * as outbox from './outbox';

const recorded = (i: number): NewEvent => ({
  type: 'ActivityRecorded',
  schemaVersion: 1,
  payload: { i },
  centerId: `center-${i}`,
});

describe('nqpf outbox on a real event store and Kafka', () => {
  let db: TestDatabase;
  let topic: string;
  let publisher: KafkaEventPublisher;
  let collector: { received: Received[]; stop: () => Promise<void> };
  let relay: OutboxRelay;
  const ids: string[] = [];
  const cli = (...args: string[]) => runCaptured(outbox, [...args, '--database-url', db.url]);

  beforeAll(async () => {
    db = await createTestDatabase('outbox_cli');
    topic = uniqueName('outbox_cli');
    await createTestTopics([topic], 1);
    const store = new PostgresEventStore(db.pool, { outboxTopic: topic });
    await store.migrate();
    for (const i of [1, 2, 3]) {
      const { events } = await store.append(`stream-${i}`, [recorded(i)], {
        actor: { id: 'test', role: 'system' },
        correlationId: 'c-1',
      });
      ids.push(events[0]!.id);
    }
    publisher = new KafkaEventPublisher(createKafka('outbox-cli-test', testInfra().kafkaBrokers));
    relay = new OutboxRelay({ pool: db.pool, publisher });
    collector = await collectTopic(topic);
  });

  afterAll(async () => {
    await relay?.stop();
    await collector?.stop();
    await publisher?.disconnect();
    await db?.drop();
  });

  it('shows the backlog, and after republish the relay publishes the marked events again, in order', async () => {
    const before = await cli('status');
    expect(before.output).toMatch(
      /last position 3, 3 unpublished from position 1, the oldest recorded \d+ s ago/,
    );
    expect(before.code).toBe(0);
    expect(await relay.publishOnce()).toBe(3);
    expect((await cli('status')).output).toContain('last position 3, all published');

    const marked = await cli('republish', '--from-position', '2');
    expect(marked.output).toContain('2 events from position 2 marked for publishing again');
    expect(marked.code).toBe(0);
    expect((await cli('status')).output).toContain('2 unpublished from position 2');
    expect(await relay.publishOnce()).toBe(2);
    await eventually(async () =>
      expect(collector.received.map((r) => r.eventId)).toEqual([ids[0], ids[1], ids[2], ids[1], ids[2]]),
    );
  });

  it('refuses bad input with exit 2 and changes nothing', async () => {
    for (const args of [
      ['republish'],
      ['republish', '--from-position', '0'],
      ['republish', '--from-position', 'all'],
      ['status', '--from-position', '1'],
      ['purge'],
    ]) {
      const { code, output } = await cli(...args);
      expect(code).toBe(2);
      expect(output).toContain('usage: nqpf outbox');
    }
    expect((await cli('status')).output).toContain('all published');
  });

  it('reports a database without an event store as a failure', async () => {
    const empty = await createTestDatabase('outbox_empty');
    try {
      const { code, output } = await runCaptured(outbox, ['status', '--database-url', empty.url]);
      expect(output).toContain('no event store here');
      expect(code).toBe(1);
    } finally {
      await empty.drop();
    }
  });
});

describe('nqpf outbox refill: a store restored to an earlier point, refilled from Kafka', () => {
  const prefix = uniqueName('refill_cli').replace(/_/g, '-');
  const topic = serviceTopic('review', prefix);
  let db: TestDatabase;
  let store: PostgresEventStore;
  let publisher: KafkaEventPublisher;
  let relay: OutboxRelay;
  const saved = { brokers: process.env.KAFKA_BROKERS, prefix: process.env.KAFKA_TOPIC_PREFIX };
  const seal = (() => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return {
      sealer: EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      keys: SealKeys.fromPem(publicPem),
      publicFile: writeTempFile('seal-public.pem', publicPem),
    };
  })();
  const cli = (...args: string[]) => runCaptured(outbox, [...args, '--database-url', `review=${db.url}`]);
  const refill = (...args: string[]) => cli('refill', '--seal-keys', seal.publicFile, ...args);

  beforeAll(async () => {
    process.env.KAFKA_BROKERS = testInfra().kafkaBrokers.join(',');
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    db = await createTestDatabase('refill_cli');
    await createTestTopics([topic], 3);
    store = new PostgresEventStore(db.pool, { outboxTopic: topic, sealer: seal.sealer });
    await store.migrate();
    publisher = new KafkaEventPublisher(createKafka('refill-cli-test', testInfra().kafkaBrokers));
    relay = new OutboxRelay({ pool: db.pool, publisher });
  });

  afterAll(async () => {
    await relay?.stop();
    await publisher?.disconnect();
    await db?.drop();
    process.env.KAFKA_BROKERS = saved.brokers;
    process.env.KAFKA_TOPIC_PREFIX = saved.prefix;
  });

  it('reports, then puts back the lost events, which verify then finds whole', async () => {
    const meta = { actor: { id: 'test', role: 'system' as const }, correlationId: 'c-1' };
    const kept = (await store.append('kept', [recorded(1)], meta)).events[0]!;
    const lost = (await store.append('lost', [recorded(2), recorded(3)], meta)).events;
    expect(await relay.publishOnce()).toBe(3);
    // The database restored to before `lost`: its rows are gone, Kafka still has them.
    const client = await db.pool.connect();
    try {
      await client.query('set session_replication_role = replica');
      await client.query('delete from event_store.outbox where position >= $1', [lost[0]!.position]);
      await client.query('delete from event_store.event_seals where position >= $1', [lost[0]!.position]);
      await client.query('delete from event_store.events where position >= $1', [lost[0]!.position]);
    } finally {
      await client.query('reset session_replication_role');
      client.release();
    }

    // The relay holds its lease, as a running service does: no refill under it.
    const refused = await refill();
    expect(refused.output).toContain('ERROR the service is running');
    expect(refused.code).toBe(1);
    await relay.stop();
    expect((await cli('refill')).output).toContain('--seal-keys is required');

    // Restored to between kept's publish and its mark: Kafka has it, the store's row says unpublished.
    await db.pool.query('update event_store.outbox set published_at = null where position = $1', [
      kept.position,
    ]);
    const dry = await refill('--dry-run');
    expect(dry.output).toContain(
      `review: 3 records read from ${topic}; would refill 2 events in 1 streams; 1 stored events not marked published were on Kafka already: would be marked published (the relay does not send them again) (dry run)\n`,
    );
    expect(dry.code).toBe(0);
    const done = await refill();
    expect(done.output).toMatch(
      /refilled 2 events in 1 streams; 1 stored events not marked published were on Kafka already: marked published \(the relay does not send them again\)\n/,
    );
    expect(done.code).toBe(0);
    expect((await cli('status')).output).toContain('all published');
    expect((await store.readStream('lost')).map((e) => e.hash)).toEqual(lost.map((e) => e.hash));
    // The seal came back with the copy (the relay publishes it in a header): the store verifies whole.
    expect(await store.verify(undefined, seal.keys)).toEqual({ ok: true, checked: 3 });
    expect((await refill()).output).toContain('nothing to refill');

    const unnamed = await runCaptured(outbox, [
      'refill',
      '--database-url',
      db.url,
      '--seal-keys',
      seal.publicFile,
    ]);
    expect(unnamed.output).toContain('name each store by its service');
    expect(unnamed.code).toBe(2);
  });
});

describe('nqpf outbox refill --heads: a store restored to before its seal-key rollout', () => {
  const prefix = uniqueName('refill_roll').replace(/_/g, '-');
  const topic = serviceTopic('review', prefix);
  let db: TestDatabase;
  let publisher: KafkaEventPublisher;
  const saved = { brokers: process.env.KAFKA_BROKERS, prefix: process.env.KAFKA_TOPIC_PREFIX };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealer = EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const publicFile = writeTempFile('rollout-public.pem', publicPem);
  const meta = { actor: { id: 'test', role: 'system' as const }, correlationId: 'c-1' };
  const refill = (stdin: string | null, ...args: string[]) =>
    runCaptured(
      {
        run: (a) =>
          outbox.run(a, process.env, { stdin: Readable.from(stdin === null ? [] : [Buffer.from(stdin)]) }),
      },
      ['refill', '--seal-keys', publicFile, '--database-url', `review=${db.url}`, ...args],
    );

  beforeAll(async () => {
    process.env.KAFKA_BROKERS = testInfra().kafkaBrokers.join(',');
    process.env.KAFKA_TOPIC_PREFIX = prefix;
    db = await createTestDatabase('refill_roll');
    await createTestTopics([topic], 1);
    publisher = new KafkaEventPublisher(createKafka('refill-roll-test', testInfra().kafkaBrokers));
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await db?.drop();
    process.env.KAFKA_BROKERS = saved.brokers;
    process.env.KAFKA_TOPIC_PREFIX = saved.prefix;
  });

  it("starts a stream's first sealed append at its rollout head, as seal-heads vouched, and then verifies whole", async () => {
    const unsealedStore = new PostgresEventStore(db.pool, { outboxTopic: topic });
    await unsealedStore.migrate();
    const relay = new OutboxRelay({ pool: db.pool, publisher });
    const kept = (await unsealedStore.append('x', [recorded(1)], meta)).events[0]!;
    // The window the restore loses: x's version 2 and y, unsealed, then the key rollout, then x's 3 sealed.
    const x2 = (await unsealedStore.append('x', [recorded(2)], meta)).events[0]!;
    const y1 = (await unsealedStore.append('y', [recorded(3)], meta)).events[0]!;
    expect(await relay.publishOnce()).toBe(3);
    const heads = { x: { streamVersion: 2, hash: x2.hash }, y: { streamVersion: 1, hash: y1.hash } };
    const rolloutFile = JSON.stringify({
      format: 'nqpf-stream-heads/1',
      takenAt: new Date().toISOString(),
      stores: { review: heads },
    });
    const store = new PostgresEventStore(db.pool, { outboxTopic: topic, sealer });
    expect((await store.sealUnsealedHeads(sealer, new Map(Object.entries(heads)))).sealed).toBe(2);
    const x3 = (await store.append('x', [recorded(4)], meta)).events[0]!;
    expect(await relay.publishOnce()).toBe(1);
    await relay.stop();
    // Restored to before x's version 2: its seal (from seal-heads) never reached Kafka.
    const client = await db.pool.connect();
    try {
      await client.query('set session_replication_role = replica');
      for (const table of ['outbox', 'event_seals', 'events'])
        await client.query(`delete from event_store.${table} where position > $1`, [kept.position]);
    } finally {
      await client.query('reset session_replication_role');
      client.release();
    }

    const without = await eventually(async () => {
      const r = await refill(null, '--dry-run');
      expect(r.output).toContain('4 records read');
      return r;
    });
    expect(without.output).toContain("CONFLICT stream x version 3: the copy's seal: the seal (key ");
    expect(without.output).toContain('refill with the heads taken at the rollout)');
    expect(without.code).toBe(1);
    // A file without the store, or whose x is not the head before the sealed append: refused.
    const other = JSON.stringify({
      format: 'nqpf-stream-heads/1',
      takenAt: new Date().toISOString(),
      stores: { intake: heads },
    });
    const noStore = await refill(other, '--heads', '-');
    expect(noStore.output).toContain("--heads: the heads file has no store 'review' (it has intake)");
    expect(noStore.code).toBe(2);
    const wrong = await refill(
      JSON.stringify({
        format: 'nqpf-stream-heads/1',
        takenAt: new Date().toISOString(),
        stores: { review: { ...heads, x: { streamVersion: 1, hash: kept.hash } } },
      }),
      '--heads',
      '-',
    );
    expect(wrong.output).toContain(
      "(version 2 before it, unsealed, is not the stream's head in the rollout heads file)",
    );
    expect(wrong.code).toBe(1);

    const dry = await refill(rolloutFile, '--heads', '-', '--dry-run');
    expect(dry.output).toContain('would refill 3 events in 2 streams (dry run)');
    expect(dry.code).toBe(0);
    const done = await refill(null, '--heads', writeTempFile('rollout.json', rolloutFile));
    expect(done.output).toContain(
      'refilled 3 events in 2 streams; 2 of their heads are from before the service sealed',
    );
    expect(done.code).toBe(0);
    expect((await store.readStream('x')).map((e) => e.hash)).toEqual([kept.hash, x2.hash, x3.hash]);
    // 3c: seal-heads with the rollout file seals x's 2 and y's 1 again; the store is whole.
    expect(await store.sealUnsealedHeads(sealer, new Map(Object.entries(heads)))).toEqual({
      sealed: 2,
      refused: [],
    });
    expect(await store.verify(undefined, SealKeys.fromPem(publicPem))).toEqual({ ok: true, checked: 4 });
  });
});
