import net from 'node:net';
import { Pool } from 'pg';
import { createKafka, KafkaEventPublisher, type EventPublisher } from '@nqpf/messaging';
import { createTestTopics, eventually, testInfra, uniqueName, type TestDatabase } from '@nqpf/testing';
import type { EventEnvelope, NewEvent } from '@nqpf/contracts';
import { generateKeyPairSync } from 'node:crypto';
import { PostgresEventStore } from '../postgres-event-store';
import { EventSealer, SealKeys } from '../seal';
import { createTestStore, keyPair, meta, tamper } from '../test-fixtures';
import { collectTopic, countById, type Received } from './kafka-collector.fixture';
import { OutboxRelay } from './outbox-relay';

/**
 * A TCP relay to PostgreSQL that can go silent: its sockets stay open but pass nothing on, as when the
 * node of a client is lost or the network between them is cut (nothing closes the server's side).
 */
async function silenceableProxy(target: URL): Promise<{ port: number; silence(): void; close(): void }> {
  const sockets: net.Socket[] = [];
  let silent = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.push(client, upstream);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk) => silent || to.write(chunk));
      from.on('error', () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    silence: () => (silent = true),
    close: () => {
      server.close();
      sockets.forEach((s) => s.destroy());
    },
  };
}

const centerEvents = (center: string, n: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'ActivityRecorded',
    schemaVersion: 1,
    payload: { i },
    centerId: center,
  }));

describe('OutboxRelay', () => {
  let db: TestDatabase;
  let topic: string;
  let publisher: KafkaEventPublisher;
  let collector: { received: Received[]; stop: () => Promise<void> };
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    topic = uniqueName('es_relay');
    await createTestTopics([topic], 3);
    ({ db } = await createTestStore());
    publisher = new KafkaEventPublisher(createKafka('es-relay-test', testInfra().kafkaBrokers));
    collector = await collectTopic(topic);
  });
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await collector.stop();
    await publisher.disconnect();
    await db.drop();
  });

  async function storeWithOutbox(schema: string): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(db.pool, { schema, outboxTopic: topic });
    await store.migrate();
    return store;
  }

  function relay(
    schema: string,
    options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {},
  ): OutboxRelay {
    const r = new OutboxRelay({ pool: db.pool, schema, publisher, leaseRetryMs: 100, ...options });
    relays.push(r);
    return r;
  }

  it('writes outbox rows in the same transaction as the events', async () => {
    const store = await storeWithOutbox('ob_tx');
    await store.append('s1', centerEvents('c1', 2), meta());
    await expect(
      store.transaction(async (tx) => {
        await store.append('s2', centerEvents('c1', 1), meta(), tx);
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    expect(await relay('ob_tx').backlog()).toBe(2);
    // The oldest unpublished event is as old as its recording: what NqpfOutboxBacklog alerts on.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await relay('ob_tx').oldestUnpublishedSeconds()).toBeGreaterThanOrEqual(1);
  });

  it('publishes every event keyed by center, in stream order per key, woken by NOTIFY', async () => {
    const store = await storeWithOutbox('ob_order');
    // A fallback poll of a minute: only LISTEN/NOTIFY can make this arrive in time.
    const r = relay('ob_order', { pollIntervalMs: 60_000, leaseIdleTimeoutMs: 150_000, batchSize: 7 });
    r.start();
    await eventually(async () => expect(r.holdsLease).toBe(true));
    const appended: EventEnvelope[] = [];
    for (let i = 0; i < 5; i++) {
      for (const center of ['ca', 'cb', 'cc']) {
        appended.push(...(await store.append(`stream-${center}`, centerEvents(center, 3), meta())).events);
      }
    }
    const ids = new Set(appended.map((e) => e.id));
    await eventually(
      async () => expect(collector.received.filter((m) => ids.has(m.eventId))).toHaveLength(45),
      15000,
    );
    for (const center of ['ca', 'cb', 'cc']) {
      const sent = appended.filter((e) => e.centerId === center).map((e) => e.id);
      expect(collector.received.filter((m) => m.key === center).map((m) => m.eventId)).toEqual(sent);
    }
    await eventually(async () => expect(await r.backlog()).toBe(0));
    expect(await r.oldestUnpublishedSeconds()).toBe(0);
  });

  it('publishes a committed append while an older transaction elsewhere is still open', async () => {
    const store = await storeWithOutbox('ob_open');
    const r = relay('ob_open', { pollIntervalMs: 60_000, leaseIdleTimeoutMs: 150_000 });
    r.start();
    await eventually(async () => expect(r.holdsLease).toBe(true));
    // An open transaction with an xid, as another database's long projection replay would hold.
    const older = await db.pool.connect();
    try {
      await older.query('begin');
      await older.query('select pg_current_xact_id()');
      const { events } = await store.append('s', centerEvents('co', 2), meta());
      const ids = new Set(events.map((e) => e.id));
      await eventually(async () =>
        expect(collector.received.filter((m) => ids.has(m.eventId))).toHaveLength(2),
      );
      expect(await r.backlog()).toBe(0);
    } finally {
      await older.query('rollback');
      older.release();
    }
  });

  it('retries a failing publish with backoff and loses nothing', async () => {
    const store = await storeWithOutbox('ob_retry');
    let failuresLeft = 2;
    const flaky: EventPublisher = {
      publish: async (t, messages) => {
        if (failuresLeft-- > 0) throw new Error('broker unavailable');
        await publisher.publish(t, messages);
      },
      disconnect: async () => undefined,
    };
    const errors: unknown[] = [];
    const r = relay('ob_retry', {
      publisher: flaky,
      backoff: { initialMs: 10, maxMs: 50 },
      onError: (e) => errors.push(e),
    });
    const { events } = await store.append('s', centerEvents('cr', 4), meta());
    r.start();
    await eventually(async () => expect(await r.backlog()).toBe(0));
    expect(errors).toHaveLength(2);
    await eventually(async () => {
      const counts = countById(collector.received);
      expect(events.map((e) => counts.get(e.id))).toEqual([1, 1, 1, 1]);
    });
  });

  it('lets only the lease holder publish, and another instance take over when it stops', async () => {
    const store = await storeWithOutbox('ob_lease');
    const first = relay('ob_lease');
    const second = relay('ob_lease');
    first.start();
    await eventually(async () => expect(first.holdsLease).toBe(true));
    second.start();
    await store.append('s', centerEvents('cl', 2), meta());
    await eventually(async () => expect(await first.backlog()).toBe(0));
    expect(second.holdsLease).toBe(false);

    await first.stop();
    await eventually(async () => expect(second.holdsLease).toBe(true));
    const { events } = await store.append('s', centerEvents('cl', 2), meta());
    await eventually(async () => expect(await second.backlog()).toBe(0));
    await eventually(async () => {
      const counts = countById(collector.received);
      expect(events.map((e) => counts.get(e.id))).toEqual([1, 1]);
    });
  });

  it('hands the lease over when its holder goes silent without closing its connection (a lost node)', async () => {
    const store = await storeWithOutbox('ob_silent');
    const proxy = await silenceableProxy(new URL(db.url));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const lostPool = new Pool({ connectionString: url.toString(), max: 2 });
    lostPool.on('error', () => undefined);
    const lost = relay('ob_silent', {
      pool: lostPool,
      leaseIdleTimeoutMs: 2000,
      pollIntervalMs: 200,
      publishTimeoutMs: 500,
      backoff: { initialMs: 100, maxMs: 500 },
      onError: () => undefined,
    });
    lost.start();
    await eventually(async () => expect(lost.holdsLease).toBe(true));
    const survivor = relay('ob_silent');
    survivor.start();
    proxy.silence();
    try {
      const { events } = await store.append('s', centerEvents('cs', 2), meta());
      // Without the idle timeout the server keeps the silent session, and its lock, until TCP gives up.
      await eventually(async () => expect(survivor.holdsLease).toBe(true), 15_000);
      await eventually(async () => {
        const counts = countById(collector.received);
        expect(events.map((e) => counts.get(e.id))).toEqual([1, 1]);
      });
    } finally {
      proxy.close();
      await lost.stop();
      await lostPool.end().catch(() => undefined);
    }
  });

  it('hands the lease over when its own publishes keep failing, so a replica that can reach Kafka publishes', async () => {
    const store = await storeWithOutbox('ob_handover');
    const broken = relay('ob_handover', {
      publisher: {
        publish: async () => Promise.reject(new Error('no route to broker')),
        disconnect: async () => undefined,
      },
      backoff: { initialMs: 10, maxMs: 50 },
      onError: () => undefined,
    });
    broken.start();
    await eventually(async () => expect(broken.holdsLease).toBe(true));
    const healthy = relay('ob_handover');
    healthy.start();
    const { events } = await store.append('s', centerEvents('ch', 3), meta());
    await eventually(async () => expect(await healthy.backlog()).toBe(0));
    await eventually(async () => {
      const counts = countById(collector.received);
      expect(events.map((e) => counts.get(e.id))).toEqual([1, 1, 1]);
    });
    await broken.stop();
  });

  it('gives up a publish that does not complete, and stops without waiting for it', async () => {
    const store = await storeWithOutbox('ob_hung');
    const errors: unknown[] = [];
    const hung = relay('ob_hung', {
      publisher: { publish: () => new Promise<void>(() => undefined), disconnect: async () => undefined },
      publishTimeoutMs: 200,
      backoff: { initialMs: 10, maxMs: 50 },
      onError: (e) => errors.push(e),
    });
    await store.append('s', centerEvents('cg', 1), meta());
    hung.start();
    await eventually(async () => expect(errors.length).toBeGreaterThanOrEqual(1));
    expect(String(errors[0])).toContain('did not complete within 200 ms');
    const started = Date.now();
    await hung.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hung.backlog()).toBe(1);
  });

  it("publishes the service's own seal of an event, not a seal row someone added beside it", async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const sealer = EventSealer.fromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const store = new PostgresEventStore(db.pool, { schema: 'ob_seal_hdr', outboxTopic: topic, sealer });
    await store.migrate();
    const [event] = (await store.append('s', centerEvents('c-hdr', 1), meta())).events;
    // Insert-only lets anyone who can write to the database add a row; it sorts before the service's key.
    await db.pool.query(
      `insert into ob_seal_hdr.event_seals (position, key_id, signature) values ($1, '0000000000000000', 'AAAA')`,
      [event!.position],
    );
    const sent = async (options: { sealKeyId?: string; sealKeys?: SealKeys }) => {
      await db.pool.query('update ob_seal_hdr.outbox set published_at = null');
      const headers: (string | undefined)[] = [];
      const capture = relay('ob_seal_hdr', {
        ...options,
        publisher: {
          publish: async (_topic, messages) => {
            headers.push(...messages.map((m) => m.headers?.['nqpf-seal']?.toString()));
          },
          disconnect: async () => undefined,
        },
      });
      await capture.publishOnce();
      await capture.stop();
      return headers;
    };
    expect(await sent({})).toEqual(['0000000000000000:AAAA']);
    expect(await sent({ sealKeyId: sealer.keyId })).toEqual([expect.stringMatching(`^${sealer.keyId}:`)]);
    // Checking seals, the relay sends the one that vouched for the event, whatever else sorts first.
    expect(await sent({ sealKeys: SealKeys.fromPem(sealer.publicPem) })).toEqual([
      expect.stringMatching(`^${sealer.keyId}:`),
    ]);
  });

  it('publishes nothing once an outbox row names a topic the store does not publish to', async () => {
    const store = await storeWithOutbox('ob_topic');
    await store.append('s', centerEvents('c-topic', 2), meta());
    const [, second] = (
      await db.pool.query<{ position: string }>('select position from ob_topic.outbox order by position')
    ).rows;
    const published: string[] = [];
    const guarded = relay('ob_topic', {
      topics: [topic],
      publisher: {
        publish: async (to, messages) => {
          published.push(...messages.map((m) => `${to}:${m.headers['nqpf-event-id']}`));
        },
        disconnect: async () => undefined,
      },
    });
    // The row's topic is outside the event's hash and seal: someone who can write there could redirect it.
    await tamper(db, `update ob_topic.outbox set topic = 'nqpf.finance.events' where position = $1`, [
      second!.position,
    ]);
    await expect(guarded.publishOnce()).rejects.toThrow(
      new RegExp(`its outbox row names topic nqpf\\.finance\\.events, not ${topic}`),
    );
    await guarded.stop();
    expect(published).toEqual([]);
    expect(await guarded.backlog()).toBe(2);
  });

  it('publishes nothing once an event to publish lies outside the seals of the keys it trusts', async () => {
    const service = keyPair();
    const store = new PostgresEventStore(db.pool, {
      schema: 'ob_seal_check',
      outboxTopic: topic,
      sealer: service.sealer,
    });
    await store.migrate();
    await store.append('ok', centerEvents('c-ok', 2), meta());
    const [changed] = (await store.append('changed', centerEvents('c-changed', 1), meta())).events;
    const published: string[] = [];
    const checking = (sealKeys?: SealKeys) =>
      relay('ob_seal_check', {
        sealKeys,
        publisher: {
          publish: async (_topic, messages) => {
            published.push(...messages.map((m) => m.headers['nqpf-event-id']!));
          },
          disconnect: async () => undefined,
        },
      });
    // Its content changed after it was stored (the hash kept): the batch is held, the relay says which.
    await tamper(db, `update ob_seal_check.events set payload = '{"i": 99}' where position = $1`, [
      changed!.position,
    ]);
    const withKeys = checking(service.keys);
    await expect(withKeys.publishOnce()).rejects.toThrow(
      new RegExp(`not publishing event ${changed!.id} \\(stream changed version 1\\): modified`),
    );
    await withKeys.stop();
    expect(published).toEqual([]);
    expect(await withKeys.backlog()).toBe(3);
    // Without keys (development) nothing is checked.
    const unchecked = checking();
    expect(await unchecked.publishOnce()).toBe(3);
    await unchecked.stop();
  });
});
