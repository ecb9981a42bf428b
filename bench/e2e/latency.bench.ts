// End-to-end latency at a fixed arrival rate: from an HTTP 2xx on intake (an application drafted) to the
// center's row in the registry's standing read model, against a raw pipeline measured in the same run
// (INSERT + acks-all produce, then a kafkajs consumer INSERTs into another database).
// Env: DATABASE_URL (admin URL), KAFKA_BROKERS, BENCH_E2E_RATE (commands/s, default 200),
// BENCH_E2E_SECONDS (default 10), BENCH_E2E_WARMUP_SECONDS (default 5, sent before and not measured),
// BENCH_E2E_PG_SOCKET (services reach PostgreSQL over its Unix socket),
// BENCH_E2E_NODE_ARGS (extra node flags for the services, e.g. --cpu-prof).
import '../lib/bench-infra';
import 'reflect-metadata';
import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { serviceTopic, uuidv7 } from '@nqpf/contracts';
import { createKafka, createTopics, parseBrokers } from '@nqpf/messaging';
import { applicationFacts, createTestDatabase, type TestDatabase, uniqueName } from '@nqpf/testing';
import { percentile, post } from '../lib/open-loop';
import { printTable, recordResults, type BenchResult } from '../lib/results';
import { backendPids, cpuMeter, kafkaBrokerPids } from './cpu-time';
import { startServiceProcess } from './service-process';
import { shanghaiToday } from '@nqpf/rules';

const rate = Number(process.env.BENCH_E2E_RATE ?? 200);
const seconds = Number(process.env.BENCH_E2E_SECONDS ?? 10);
const total = rate * seconds;
// Sent first at the same rate and not measured: connection pools growing and code warming up are start-up
// costs, not the steady state the target is about.
const warmup = Math.round(rate * Number(process.env.BENCH_E2E_WARMUP_SECONDS ?? 5));
const sent = warmup + total;

const facts = applicationFacts();

/**
 * Arrival times by id, from a trigger's NOTIFY on the row's insert (delivered at its commit): no polling
 * load on the machine under test.
 */
async function arrivals(db: TestDatabase, table: string, idColumn: string) {
  const channel = uniqueName('bench_seen').toLowerCase();
  await db.pool.query(`create function ${channel}() returns trigger language plpgsql as $$
    begin perform pg_notify('${channel}', new.${idColumn}); return null; end $$`);
  await db.pool.query(
    `create trigger ${channel} after insert on ${table} for each row execute function ${channel}()`,
  );
  const listener = await db.pool.connect();
  const seenAt = new Map<string, number>();
  let onSeen: (id: string) => void = () => undefined;
  listener.on('notification', (n) => {
    const now = performance.now();
    if (!n.payload || seenAt.has(n.payload)) return;
    seenAt.set(n.payload, now);
    onSeen(n.payload);
  });
  await listener.query(`listen ${channel}`);
  return {
    seenAt,
    onSeen: (f: (id: string) => void) => (onSeen = f),
    close: () => listener.release(),
  };
}

/**
 * Sends `warmup` + `total` jobs at `rate` per second (open loop: the schedule never waits for answers), then
 * waits until each acknowledged id after the warm-up has arrived. Returns per-id acknowledgement and arrival
 * latencies (an arrival before the acknowledgement counts as 0).
 */
async function fixedRate(
  send: (i: number) => Promise<string>,
  seen: Awaited<ReturnType<typeof arrivals>>,
): Promise<{ ack: number[]; arrival: number[]; errors: number }> {
  const ackedAt = new Map<string, number>();
  const ack: number[] = [];
  const arrival: number[] = [];
  let waiting = 0;
  let errors = 0;
  const arrived = (id: string, at: number) => {
    arrival.push(Math.max(0, at - ackedAt.get(id)!));
    waiting -= 1;
  };
  seen.onSeen((id) => {
    if (ackedAt.has(id)) arrived(id, seen.seenAt.get(id)!);
  });
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < sent; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t0 = performance.now();
    inflight.push(
      send(i).then(
        (id) => {
          if (i < warmup) return;
          const t1 = performance.now();
          ack.push(t1 - t0);
          ackedAt.set(id, t1);
          waiting += 1;
          if (seen.seenAt.has(id)) arrived(id, seen.seenAt.get(id)!);
        },
        () => void (errors += i < warmup ? 0 : 1),
      ),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 60000;
  while (waiting > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (waiting > 0) throw new Error(`${waiting} acknowledged commands never reached the read model`);
  return { ack, arrival, errors };
}

/**
 * The services' database URL: over TCP like the bench's own, or with BENCH_E2E_PG_SOCKET=<dir> over the
 * server's Unix socket (e.g. .local/pg), which costs each query fewer kernel cycles than loopback TCP.
 */
function serviceDatabaseUrl(db: TestDatabase): string {
  const socketDir = process.env.BENCH_E2E_PG_SOCKET;
  if (!socketDir) return db.url;
  const url = new URL(db.url);
  // pg takes the socket directory from the host parameter; the URL keeps a host so it still parses as one.
  url.searchParams.set('host', socketDir);
  return url.toString();
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one host. */
const wallNow = () => performance.timeOrigin + performance.now();

interface SystemRun {
  ack: number[];
  arrival: number[];
  errors: number;
  stages: Record<string, number[]>;
  /** CPU ms per command during the run: intake, registry, and each one's PostgreSQL backends. */
  cpuPerCommand: Record<string, number>;
}

async function measureSystem(): Promise<SystemRun> {
  const prefix = uniqueName('bench_e2e');
  const seed = `seed-${prefix}`;
  const intakeDb = await createTestDatabase('bench_intake');
  const registryDb = await createTestDatabase('bench_registry');
  const shared = {
    NODE_ENV: 'development',
    KAFKA_BROKERS: process.env.NQPF_TEST_KAFKA_BROKERS!,
    KAFKA_TOPIC_PREFIX: prefix,
    AUTH_DEV_IDENTITY: '1',
    AUTH_DEV_IDENTITY_SEED: seed,
  };
  const [intake, registry] = await Promise.all([
    startServiceProcess('intake', { ...shared, DATABASE_URL: serviceDatabaseUrl(intakeDb) }),
    startServiceProcess('registry', { ...shared, DATABASE_URL: serviceDatabaseUrl(registryDb) }),
  ]);
  // The projection's write time: a column the projector does not name takes its default on insert.
  await registryDb.pool.query(
    'alter table standing.standing add column bench_written_at timestamptz default clock_timestamp()',
  );
  const seen = await arrivals(registryDb, 'standing.standing', 'center_id');
  const port = intake.port;
  const sentAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  try {
    const token = (request: DevTokenRequest) => mintDevToken(request, { seed });
    const bureau = await token({ role: 'city_bureau' });
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const callRes = await fetch(`http://127.0.0.1:${port}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` }),
    });
    const { callId } = (await callRes.json()) as { callId: string };
    const operators = await Promise.all(
      Array.from({ length: sent }, async () => {
        const centerId = uuidv7();
        return { centerId, token: await token({ role: 'operator', centerId }) };
      }),
    );
    const meter = await cpuMeter({
      intake: () => [intake.pid],
      'intake postgres': () => backendPids(intakeDb),
      registry: () => [registry.pid],
      'registry postgres': () => backendPids(registryDb),
      'kafka broker (shared)': kafkaBrokerPids,
      'bench loop': () => [process.pid],
    });
    const run = await fixedRate(async (i) => {
      const op = operators[i]!;
      const sentWall = wallNow();
      const status = await post(port, '/applications', op.token, {
        callId,
        district: '南关区',
        facts,
        materials: [],
      });
      if (status !== 201) throw new Error(`status ${status}`);
      if (i >= warmup) {
        sentAt.set(op.centerId, sentWall);
        ackedAt.set(op.centerId, wallNow());
      }
      return op.centerId;
    }, seen);
    const used = await meter.used();
    const cpuPerCommand = Object.fromEntries(Object.entries(used).map(([k, ms]) => [k, ms / sent]));
    const seenAt = new Map([...seen.seenAt].map(([id, at]) => [id, performance.timeOrigin + at]));
    const stages = await breakdown(prefix, intakeDb, registryDb, { sentAt, ackedAt, seenAt });
    return { ...run, stages, cpuPerCommand };
  } finally {
    seen.close();
    await Promise.all([intake.close(), registry.close()]);
    await Promise.all([intakeDb.drop(), registryDb.drop()]);
  }
}

/**
 * Where the time went, per acknowledged center (all wall-clock, one host): the event's recordedAt (inside the
 * HTTP handler), the Kafka CreateTime (the relay handing it to the producer), the outbox's published_at (Kafka
 * acked, row marked), the standing row's insert time in the projection transaction, and its commit's notification arriving.
 */
async function breakdown(
  prefix: string,
  intakeDb: TestDatabase,
  registryDb: TestDatabase,
  t: { sentAt: Map<string, number>; ackedAt: Map<string, number>; seenAt: Map<string, number> },
): Promise<Record<string, number[]>> {
  const ids = [...t.ackedAt.keys()];
  const recorded = new Map(
    (
      await intakeDb.pool.query<{ center_id: string; recorded: number; published: number }>(
        `select e.center_id, extract(epoch from min(e.recorded_at)) * 1000 as recorded,
                extract(epoch from min(o.published_at)) * 1000 as published
           from event_store.events e join event_store.outbox o using (position)
          where e.center_id = any($1) group by e.center_id`,
        [ids],
      )
    ).rows.map((r) => [r.center_id, { recorded: Number(r.recorded), published: Number(r.published) }]),
  );
  const written = new Map(
    (
      await registryDb.pool.query<{ center_id: string; written: number }>(
        `select center_id, extract(epoch from bench_written_at) * 1000 as written
           from standing.standing where center_id = any($1)`,
        [ids],
      )
    ).rows.map((r) => [r.center_id, Number(r.written)]),
  );
  const created = await kafkaCreateTimes(serviceTopic('intake', prefix), new Set(ids));
  const stages: Record<string, number[]> = {
    'send→recordedAt (HTTP in, auth, validate, load)': [],
    'recordedAt→ack (append commit, response)': [],
    'ack→kafka CreateTime (relay wake-up, select)': [],
    'kafka CreateTime→published_at (produce ack, mark)': [],
    'kafka CreateTime→standing insert (fetch, batch)': [],
    'standing insert→seen (commit, notification)': [],
  };
  const values = Object.values(stages);
  for (const id of ids) {
    const r = recorded.get(id);
    const k = created.get(id);
    const w = written.get(id);
    const [sent, acked, seen] = [t.sentAt.get(id), t.ackedAt.get(id), t.seenAt.get(id)];
    if (!r || k === undefined || w === undefined || !sent || !acked || !seen) continue;
    values[0]!.push(r.recorded - sent);
    values[1]!.push(acked - r.recorded);
    values[2]!.push(k - acked);
    values[3]!.push(r.published - k);
    values[4]!.push(w - k);
    values[5]!.push(seen - w);
  }
  return stages;
}

/** The first Kafka CreateTime per key (center) on the topic, read after the run so it costs nothing during it. */
async function kafkaCreateTimes(topic: string, keys: Set<string>): Promise<Map<string, number>> {
  const kafka = createKafka('bench-trace', parseBrokers(process.env.NQPF_TEST_KAFKA_BROKERS!));
  const consumer = kafka.consumer({ groupId: uniqueName('bench.trace'), maxWaitTimeInMs: 100 });
  const times = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString();
      if (!key || !keys.has(key)) return;
      const ts = Number(message.timestamp);
      times.set(key, Math.min(ts, times.get(key) ?? ts));
    },
  });
  const deadline = Date.now() + 30_000;
  while (times.size < keys.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return times;
}

async function measureRaw(): Promise<{ ack: number[]; arrival: number[]; errors: number }> {
  const source = await createTestDatabase('bench_raw_src');
  const sink = await createTestDatabase('bench_raw_sink');
  await source.pool.query('create table raw_events (id text primary key, body jsonb not null)');
  await sink.pool.query('create table raw_seen (id text primary key, body jsonb not null)');
  const seen = await arrivals(sink, 'raw_seen', 'id');
  const topic = uniqueName('bench.raw');
  const kafka = createKafka('bench-raw', parseBrokers(process.env.NQPF_TEST_KAFKA_BROKERS!));
  await createTopics(kafka, [topic], 12);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  const consumer = kafka.consumer({ groupId: `${topic}.group` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      await sink.pool.query('insert into raw_seen values ($1, $2) on conflict do nothing', [
        message.key!.toString(),
        message.value!.toString(),
      ]);
    },
  });
  try {
    const body = JSON.stringify({ facts });
    return await fixedRate(async () => {
      const id = uuidv7();
      await source.pool.query('insert into raw_events values ($1, $2)', [id, body]);
      await producer.send({ topic, acks: -1, messages: [{ key: id, value: body }] });
      return id;
    }, seen);
  } finally {
    seen.close();
    await consumer.disconnect();
    await producer.disconnect();
    await source.drop();
    await sink.drop();
  }
}

async function main(): Promise<void> {
  const raw = await measureRaw();
  const system = await measureSystem();
  const row = (name: string, ours: number[], base: number[], p: number): BenchResult => {
    const value = percentile(ours, p);
    const baseline = percentile(base, p);
    return {
      name,
      value: Math.round(value * 10) / 10,
      unit: 'ms',
      baseline: Math.round(baseline * 10) / 10,
      ratio: Math.round((value / baseline) * 100) / 100,
    };
  };
  const results: BenchResult[] = [
    row(`e2e.command_to_standing.p50@${rate}/s`, system.arrival, raw.arrival, 50),
    row(`e2e.command_to_standing.p99@${rate}/s`, system.arrival, raw.arrival, 99),
    row(`e2e.command_ack.p50@${rate}/s`, system.ack, raw.ack, 50),
    row(`e2e.command_ack.p99@${rate}/s`, system.ack, raw.ack, 99),
  ];
  recordResults(results);
  printTable(results);
  console.log('\nstage breakdown (ms): p50 / p99');
  for (const [stage, values] of Object.entries(system.stages)) {
    if (values.length === 0) continue;
    const f = (p: number) => percentile(values, p).toFixed(1).padStart(7);
    console.log(`  ${stage.padEnd(52)} ${f(50)} / ${f(99)}  (n=${values.length})`);
  }
  console.log('\nCPU per command (ms, user + system, during the run):');
  for (const [name, ms] of Object.entries(system.cpuPerCommand))
    console.log(`  ${name.padEnd(20)} ${ms.toFixed(2)}`);
  if (system.errors + raw.errors > 0) console.log(`errors: system ${system.errors}, raw ${raw.errors}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
