/**
 * Event store benchmark: append rate (batch 1/10/100, 1 and 8 writers) against a raw multi-row INSERT
 * into an identical table, and the outbox relay's publish rate against a raw kafkajs producer, in the
 * same run. Usage: node -r @swc-node/register bench/event-store/append.bench.ts
 * Env: DATABASE_URL (admin database), KAFKA_BROKERS, BENCH_SECONDS (per measurement, default 1),
 * BENCH_ROUNDS (alternating raw/store rounds, best kept, default 3).
 * The store seals each append as the services do (an Ed25519 signature and an event_seals row).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { CompressionTypes } from 'kafkajs';
import type { NewEvent } from '@nqpf/contracts';
import { createKafka, KafkaEventPublisher, parseBrokers, toWire } from '@nqpf/messaging';
import {
  EventSealer,
  OutboxRelay,
  PostgresEventStore,
  SealKeys,
  type AppendOptions,
} from '@nqpf/event-store';
import { benchBrokers, benchDatabaseUrl } from '../lib/bench-infra';
import { printTable, recordResults, type BenchResult } from '../lib/results';

const ADMIN_URL = benchDatabaseUrl;
const BROKERS = parseBrokers(benchBrokers);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RELAY_EVENTS = 10_000;
const SCHEMA = 'bench';

const who: AppendOptions = {
  actor: { id: 'bench', role: 'system', district: null },
  correlationId: 'bench',
  centerId: 'center-bench',
};
const newEvents = (n: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'ActivityRecorded',
    schemaVersion: 1,
    payload: { i, note: 'x'.repeat(64) },
  }));

/** Runs `writers` loops for SECONDS each; returns events per second. */
async function rate(
  writers: number,
  batch: number,
  appendOnce: (writer: number) => Promise<void>,
): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let appended = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (Date.now() < deadline) {
        await appendOnce(w);
        appended += batch;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return appended / seconds;
}

function rawInsert(pool: Pool, batch: number): (writer: number) => Promise<void> {
  const versions = new Map<number, number>();
  const run = randomUUID();
  return async (writer) => {
    const stream = `raw-${run}-${writer}`;
    const from = versions.get(writer) ?? 0;
    versions.set(writer, from + batch);
    const now = new Date().toISOString();
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < batch; i++) {
      const p = values.length;
      tuples.push(
        `(nextval('${SCHEMA}.event_position'), $${p + 1}, $${p + 2}, $${p + 3}, 'ActivityRecorded', 1, $${p + 4}, $${p + 4},
          'bench', null, $${p + 5}, 'center-bench', $${p + 6}, $${p + 7}, $${p + 8})`,
      );
      values.push(
        randomUUID(),
        stream,
        from + i + 1,
        now,
        JSON.stringify(who.actor),
        JSON.stringify({ i, note: 'x'.repeat(64) }),
        'h'.repeat(64),
        'h'.repeat(64),
      );
    }
    await pool.query(
      `insert into ${SCHEMA}.raw_events (position, event_id, stream_id, stream_version, type, schema_version,
        occurred_at, recorded_at, correlation_id, causation_id, actor, center_id, payload, previous_hash, hash)
       values ${tuples.join(',')}`,
      values,
    );
  };
}

function storeAppend(store: PostgresEventStore, batch: number): (writer: number) => Promise<void> {
  const versions = new Map<number, number>();
  const run = randomUUID();
  return async (writer) => {
    const expected = versions.get(writer) ?? 0;
    const result = await store.append(`store-${run}-${writer}`, newEvents(batch), {
      ...who,
      expectedVersion: expected === 0 ? 'no_stream' : expected,
    });
    versions.set(writer, result.nextExpectedVersion);
  };
}

async function benchAppend(pool: Pool, store: PostgresEventStore): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const writers of [1, 8]) {
    for (const batch of [1, 10, 100]) {
      // Alternating rounds, best of each: the machine is shared, so single runs are noisy.
      let raw = 0;
      let value = 0;
      for (let round = 0; round < ROUNDS; round++) {
        raw = Math.max(raw, await rate(writers, batch, rawInsert(pool, batch)));
        value = Math.max(value, await rate(writers, batch, storeAppend(store, batch)));
      }
      results.push({
        name: `event-store.append.batch${batch}.writers${writers}`,
        value,
        unit: 'events/s',
        baseline: raw,
        ratio: value / raw,
      });
    }
  }
  return results;
}

async function benchRelay(pool: Pool): Promise<BenchResult> {
  const kafka = createKafka('bench-relay', BROKERS);
  const admin = kafka.admin();
  await admin.connect();
  const [relayTopic, rawTopic] = [`bench.relay.${Date.now()}`, `bench.raw.${Date.now()}`];
  await admin.createTopics({
    topics: [relayTopic, rawTopic].map((topic) => ({ topic, numPartitions: 12 })),
    waitForLeaders: true,
  });

  // Sealed, and checked by the relay before it publishes, as the services run it: one seal per append of 10.
  const sealer = EventSealer.fromPem(
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  const store = new PostgresEventStore(pool, { schema: 'bench_relay', outboxTopic: relayTopic, sealer });
  await store.migrate();
  const envelopes = [];
  for (let i = 0; i < RELAY_EVENTS / 10; i++) {
    envelopes.push(
      ...(await store.append(`relay-${i}`, newEvents(10), { ...who, centerId: `center-${i % 50}` })).events,
    );
  }

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const rawStart = process.hrtime.bigint();
  for (let i = 0; i < envelopes.length; i += 500) {
    await producer.send({
      topic: rawTopic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: envelopes.slice(i, i + 500).map(toWire),
    });
  }
  const rawRate = envelopes.length / (Number(process.hrtime.bigint() - rawStart) / 1e9);
  await producer.disconnect();

  const publisher = new KafkaEventPublisher(kafka);
  await publisher.publish(relayTopic, []); // no-op; the connection is made on the first real batch
  const relay = new OutboxRelay({
    pool,
    publisher,
    schema: 'bench_relay',
    sealKeys: SealKeys.fromPem(sealer.publicPem),
    batchSize: 500,
    pollIntervalMs: 20,
  });
  const relayStart = process.hrtime.bigint();
  relay.start();
  while ((await relay.backlog()) > 0) await new Promise((r) => setTimeout(r, 20));
  const relayRate = envelopes.length / (Number(process.hrtime.bigint() - relayStart) / 1e9);
  await relay.stop();
  await publisher.disconnect();
  await admin.deleteTopics({ topics: [relayTopic, rawTopic] }).catch(() => undefined);
  await admin.disconnect();
  return {
    name: 'event-store.relay.publish',
    value: relayRate,
    unit: 'events/s',
    baseline: rawRate,
    ratio: relayRate / rawRate,
  };
}

async function main(): Promise<void> {
  const database = `bench_es_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const pool = new Pool({ connectionString: url.toString(), max: 10 });
  pool.on('error', () => undefined); // idle connections cut by the final drop database
  try {
    const sealKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    const store = new PostgresEventStore(pool, {
      schema: SCHEMA,
      sealer: EventSealer.fromPem(sealKey.toString()),
    });
    await store.migrate();
    // Identical table: same columns, defaults, constraints and indexes (LIKE … INCLUDING ALL), no triggers.
    await pool.query(`create table ${SCHEMA}.raw_events (like ${SCHEMA}.events including all)`);
    const results = [...(await benchAppend(pool, store)), await benchRelay(pool)];
    printTable(results);
    console.log(`results appended to ${recordResults(results)}`);
  } finally {
    await pool.end();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
