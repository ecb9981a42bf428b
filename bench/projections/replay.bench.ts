// Projection replay rate vs a raw kafkajs eachBatch consumer of the same topic, in the same run.
// Run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/projections/replay.bench.ts
// Env: KAFKA_BROKERS, DATABASE_URL (default the local Kafka and PostgreSQL: bench/lib/bench-infra.ts),
// BENCH_EVENTS (default 100000), BENCH_RUNS (default 3), BENCH_REPLAY_CONCURRENCY (default 2).
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { createKafka, KafkaEventPublisher, parseBrokers, toWire } from '@nqpf/messaging';
import { rebuildProjection } from '@nqpf/projections';
import { tallyEvents, tallyProjector } from '../../libs/projections/src/test-support';
import { benchBrokers, benchDatabaseUrl } from '../lib/bench-infra';
import { printTable, recordResults, type BenchResult } from '../lib/results';

const brokers = parseBrokers(benchBrokers);
const adminUrl = benchDatabaseUrl;
const total = Number(process.env.BENCH_EVENTS ?? 100000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const partitions = 12;
const concurrency = 2;
const replayConcurrency = Number(process.env.BENCH_REPLAY_CONCURRENCY ?? 2);
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function produce(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const publisher = new KafkaEventPublisher(kafka);
  const events = tallyEvents(total, 500);
  for (let i = 0; i < events.length; i += 2000)
    await publisher.publish(topic, events.slice(i, i + 2000).map(toWire));
  await publisher.disconnect();
}

/** The baseline: kafkajs eachBatch from offset zero, counting records and parsing nothing. */
async function rawConsume(kafka: Kafka, topic: string, run: number): Promise<number> {
  const started = Date.now();
  const consumer = kafka.consumer({ groupId: `bench-raw-${suffix}-${run}` });
  let seen = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= total) finish();
    },
  });
  await done;
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  return total / seconds;
}

async function projectionReplay(kafka: Kafka, topic: string, pool: Pool): Promise<number> {
  // Each run is a full rebuild: fresh schema, replay from zero, checksum, swap.
  const projector = tallyProjector(`bench_${suffix}`, [topic]);
  const started = Date.now();
  const result = await rebuildProjection({
    kafka,
    pool,
    projector,
    concurrency: replayConcurrency,
    replayGroupPrefix: 'bench.replay.',
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.applied !== total) throw new Error(`replay applied ${result.applied} of ${total} events`);
  return total / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const kafka = createKafka(`bench-${suffix}`, brokers);
  kafka.logger().setLogLevel(logLevel.NOTHING);
  const topic = `bench.projections.${suffix}`;
  const database = `bench_projections_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const pool = new Pool({ connectionString: url.toString(), max: 12 });
  pool.on('error', () => undefined);
  try {
    await produce(kafka, topic);
    // Alternate the two and keep the median of each: the machine is shared and single runs are noisy.
    const raws: number[] = [];
    const replays: number[] = [];
    for (let run = 0; run < runs; run++) {
      raws.push(await rawConsume(kafka, topic, run));
      replays.push(await projectionReplay(kafka, topic, pool));
    }
    const raw = median(raws);
    const replay = median(replays);
    const ratio = Math.round((replay / raw) * 1000) / 1000;
    const results: BenchResult[] = [
      {
        name: 'projections.replay',
        value: Math.round(replay),
        unit: 'events/s',
        baseline: Math.round(raw),
        ratio,
      },
    ];
    recordResults(results);
    printTable(results);
    console.log(JSON.stringify({ events: total, partitions, runs: { raws, replays }, results }, null, 2));
    if (ratio < 0.5) console.log(`below target: replay is ${ratio} × raw consume (target ≥ 0.5)`);
  } finally {
    await pool.end();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    const kafkaAdmin = kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    const groups = Array.from({ length: runs }, (_, run) => `bench-raw-${suffix}-${run}`);
    await kafkaAdmin.deleteGroups(groups).catch(() => undefined);
    await kafkaAdmin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
