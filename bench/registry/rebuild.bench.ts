// The registry's read side: rebuild of the standing and ledger read models from the five service topics
// (vs a raw kafkajs eachBatch consumer of the same topics), and the audit's replay and verify (chains and
// seals) over an event store of eligibility decisions (vs replayDecision in memory and a raw ordered read
// of the rows).
// Run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/registry/rebuild.bench.ts
// Env: KAFKA_BROKERS, DATABASE_URL (admin), BENCH_REBUILD_EVENTS (default 100000), BENCH_RUNS (default 3),
// BENCH_REBUILD_CONCURRENCY (partitions replayed in parallel, default 4 as in the registry),
// BENCH_AUDIT_DECISIONS (default 20000).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { logLevel, type Kafka } from 'kafkajs';
import { serviceTopic, SERVICES, type EventEnvelope } from '@nqpf/contracts';
import { createKafka, parseBrokers } from '@nqpf/messaging';
import { rebuildProjection, type Projector } from '@nqpf/projections';
import { replayStores, storeAt, verifyStores } from '@nqpf/audit';
import { EventSealer, SealKeys } from '@nqpf/event-store';
import { readModels } from '../../apps/registry/src/rebuild/read-models';
import { benchBrokers, benchDatabaseUrl } from '../lib/bench-infra';
import { printTable, recordResults, type BenchResult } from '../lib/results';
import { eligibilityDecisions, fillStore, rawRead, replayInMemory } from './audit-side';
import { deleteTopicsAndGroups, produceTopics, rawConsume } from './kafka-side';
import { EVENTS_PER_CENTER, registryEventMix } from './registry-events';

const brokers = parseBrokers(benchBrokers);
const adminUrl = benchDatabaseUrl;
const events = Number(process.env.BENCH_REBUILD_EVENTS ?? 100_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const concurrency = Number(process.env.BENCH_REBUILD_CONCURRENCY ?? 4);
const decisionCount = Number(process.env.BENCH_AUDIT_DECISIONS ?? 20_000);
const partitions = 12;
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const prefix = `bench_${suffix}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (name: string, value: number, unit: string, baseline: number): BenchResult => ({
  name,
  value: Math.round(value),
  unit,
  baseline: Math.round(baseline),
  ratio: Math.round((value / baseline) * 1000) / 1000,
});

function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** One full rebuild (fresh schema, replay from zero, checksum, swap); events/s over the records read. */
async function rebuild(kafka: Kafka, pool: Pool, projector: Projector, expected: number): Promise<number> {
  const started = performance.now();
  const result = await rebuildProjection({
    kafka,
    pool,
    projector,
    concurrency,
    replayGroupPrefix: 'bench.replay.',
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.records !== expected || result.rejected !== 0)
    throw new Error(`${projector.name}: read ${result.records} of ${expected}, rejected ${result.rejected}`);
  return expected / seconds;
}

/**
 * Publishes the registry's input and returns the events per topic. The events themselves are dropped:
 * a million envelopes kept alive make every major GC of the measured runs mark a gigabyte (raw and
 * rebuild alike ran ~4× slower with them in the heap).
 */
async function produceRegistryInput(kafka: Kafka): Promise<Map<string, number>> {
  const mix = registryEventMix(Math.ceil(events / EVENTS_PER_CENTER));
  const byTopic = new Map<string, EventEnvelope[]>(SERVICES.map((s) => [serviceTopic(s, prefix), mix[s]]));
  await produceTopics(kafka, byTopic, partitions);
  return new Map([...byTopic].map(([topic, list]) => [topic, list.length]));
}

async function benchRebuild(kafka: Kafka, pool: Pool, groups: string[]): Promise<BenchResult[]> {
  const counts = await produceRegistryInput(kafka);
  const total = [...counts.values()].reduce((n, count) => n + count, 0);
  const financeTopic = serviceTopic('finance', prefix);
  const financeEvents = counts.get(financeTopic)!;
  const { standing, ledger } = readModels(prefix);
  const rates = {
    rawAll: [] as number[],
    standing: [] as number[],
    rawFinance: [] as number[],
    ledger: [] as number[],
  };
  // Alternate raw and rebuild and keep the median of each: the machine is shared and single runs are noisy.
  for (let run = 0; run < runs; run++) {
    const group = (what: string) => {
      groups.push(`bench-raw-${suffix}-${what}-${run}`);
      return groups[groups.length - 1]!;
    };
    rates.rawAll.push(await rawConsume(kafka, [...counts.keys()], total, group('all'), concurrency));
    rates.standing.push(await rebuild(kafka, pool, standing, total));
    rates.rawFinance.push(
      await rawConsume(kafka, [financeTopic], financeEvents, group('finance'), concurrency),
    );
    rates.ledger.push(await rebuild(kafka, pool, ledger, financeEvents));
  }
  console.log(
    JSON.stringify({
      events: total,
      financeEvents,
      partitions,
      concurrency,
      rates,
    }),
  );
  // Both read models, as rebuildReadModels runs them one after the other: records read over time taken.
  const both = (a: number, ra: number, b: number, rb: number) => (a + b) / (a / ra + b / rb);
  const [rawAll, st, rawFin, led] = [rates.rawAll, rates.standing, rates.rawFinance, rates.ledger].map(
    median,
  );
  return [
    row('registry.rebuild.standing', st!, 'events/s', rawAll!),
    row('registry.rebuild.ledger', led!, 'events/s', rawFin!),
    row(
      'registry.rebuild.both',
      both(total, st!, financeEvents, led!),
      'events/s',
      both(total, rawAll!, financeEvents, rawFin!),
    ),
  ];
}

async function benchAudit(pool: Pool, database: string): Promise<BenchResult[]> {
  const decisions = eligibilityDecisions(decisionCount);
  const sealKey = generateKeyPairSync('ed25519');
  const sealer = EventSealer.fromPem(sealKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const sealKeys = SealKeys.fromPem(sealKey.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await fillStore(pool, decisions, 4, sealer);
  const location = storeAt(databaseUrl(database));
  const rates = {
    memory: [] as number[],
    replay: [] as number[],
    raw: [] as number[],
    verify: [] as number[],
  };
  for (let run = 0; run < runs; run++) {
    rates.memory.push(replayInMemory(decisions));
    const replayed = await replayStores([location]);
    if (replayed.mismatches !== 0 || replayed.matches !== replayed.decisions || replayed.stores[0]?.error)
      throw new Error(`audit replay: ${JSON.stringify(replayed.stores[0]).slice(0, 500)}`);
    // An event may carry more than one decision; every stored event must have been read, once.
    if (replayed.stores[0]?.events !== decisionCount)
      throw new Error(
        `audit replay read ${replayed.stores[0]?.events} events from a store of ${decisionCount}`,
      );
    rates.replay.push(replayed.decisions / (replayed.elapsedMs / 1000));
    rates.raw.push(await rawRead(pool, decisionCount));
    const started = performance.now();
    const [verified] = await verifyStores([location], undefined, new Map([[location.name, sealKeys]]));
    const seconds = (performance.now() - started) / 1000;
    if (!verified?.ok || verified.checked !== decisionCount)
      throw new Error(`audit verify: ${JSON.stringify(verified)}`);
    rates.verify.push(decisionCount / seconds);
  }
  console.log(JSON.stringify({ decisions: decisionCount, rates }));
  return [
    row('registry.audit.replay', median(rates.replay), 'decisions/s', median(rates.memory)),
    row('registry.audit.verify', median(rates.verify), 'events/s', median(rates.raw)),
  ];
}

async function main(): Promise<void> {
  const kafka = createKafka(`bench-${suffix}`, brokers);
  kafka.logger().setLogLevel(logLevel.NOTHING);
  const readSide = `bench_registry_${suffix}`;
  const auditStore = `bench_audit_${suffix}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const pools: Pool[] = [];
  const groups: string[] = [];
  const open = (database: string) => {
    const pool = new Pool({ connectionString: databaseUrl(database), max: 12 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  try {
    await admin.query(`create database ${readSide}`);
    await admin.query(`create database ${auditStore}`);
    const results = [
      ...(await benchRebuild(kafka, open(readSide), groups)),
      ...(await benchAudit(open(auditStore), auditStore)),
    ];
    recordResults(results);
    printTable(results);
    for (const r of results.filter((r) => r.name.includes('rebuild')))
      if (r.ratio < 0.5 || r.value < 50_000)
        console.log(
          `below target: ${r.name} ${r.value} events/s, ${r.ratio} × raw (targets ≥ 0.5 × raw, ≥ 50 000/s)`,
        );
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await admin.query(`drop database if exists ${readSide} with (force)`);
    await admin.query(`drop database if exists ${auditStore} with (force)`);
    await admin.end();
    await deleteTopicsAndGroups(
      kafka,
      SERVICES.map((s) => serviceTopic(s, prefix)),
      groups,
    );
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
