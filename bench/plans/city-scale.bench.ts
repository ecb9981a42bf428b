// Query plans at city scale (docs/performance.md): the statements behind the lists, summaries, exports,
// trails, timers' claims, start-up checks, the relay and stream reads, each sent by the project's own function
// and run under EXPLAIN (ANALYZE, BUFFERS) on its exact text and parameters, best of 3, against a primary-key
// lookup on the same table measured in the same run. Two throwaway databases (the registry's, a service's)
// are created with the project's DDL, filled with generate_series and dropped at the end, also on failure.
// Run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/plans/city-scale.bench.ts
// Env: DATABASE_URL (admin database), BENCH_PLAN_CENTERS (default 20000; trail lines, events and deadlines
// scale from it), BENCH_PLAN_ONLY (measure only the cases whose name starts with it). See bench/plans/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolClient } from 'pg';
import { benchDatabaseUrl } from '../lib/bench-infra';
import { recordResults, type BenchResult } from '../lib/results';
import { LARGE_TABLES, registryCases, serviceCases, type Case } from './cases';
import { explaining, planTraits, type Explained } from './explain';
import { createRegistrySchema, fillRegistry } from './fill-registry';
import { createServiceSchema, fillServices } from './fill-services';
import { scaleOf } from './scale';

const RUNS = 3;
const scale = scaleOf(Number(process.env.BENCH_PLAN_CENTERS ?? 20_000));
const only = process.env.BENCH_PLAN_ONLY;
const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const databases = { registry: `bench_plans_reg_${suffix}`, services: `bench_plans_svc_${suffix}` };
const PLANS_FILE = path.resolve(__dirname, '../results/city-scale-plans.json');

interface PlanResult extends BenchResult {
  /** The table whose primary-key lookup is the baseline. */
  table: string;
  /** The large tables the plan reads by a sequential scan. */
  seqScans: string[];
  /** The most rows a sort above a large table took in (0: no such sort). */
  sortedRows: number;
  /** Rows the statement returned. */
  rows: number;
  /** Shared buffers hit or read (8 kB each); temp blocks written (a sort or window spilled to disk). */
  blocks: number;
  tempBlocks: number;
}

function databaseUrl(database: string): string {
  const url = new URL(benchDatabaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const best = (runs: number[]) => Math.min(...runs);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Both to their end, then the first failure: a rejection left behind would end the process before cleanup. */
async function both(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}

const sizeOf = async (db: PoolClient) =>
  (await db.query<{ size: string }>(`select pg_size_pretty(pg_database_size(current_database())) as size`))
    .rows[0]!.size;

/** A primary-key lookup of one row of `table` (picked from a sample), best of RUNS: the raw baseline. */
async function keyLookup(db: PoolClient, table: string): Promise<number> {
  const { rows: columns } = await db.query<{ name: string }>(
    `select a.attname as name from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary
      order by array_position(i.indkey::int2[], a.attnum)`,
    [table],
  );
  const names = columns.map((c) => `"${c.name}"`);
  const pick = async (sample: string) =>
    (await db.query<Record<string, unknown>>(`select ${names.join(', ')} from ${table} ${sample} limit 1`))
      .rows[0];
  const key = (await pick('tablesample system (1) repeatable (7)')) ?? (await pick(''));
  if (!key) throw new Error(`${table} is empty: no key to look up`);
  const where = columns.map((c, i) => `"${c.name}" = $${i + 1}`).join(' and ');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { rows } = await db.query<{ 'QUERY PLAN': { 'Execution Time': number }[] }>(
      `explain (analyze, buffers, format json) select * from ${table} where ${where}`,
      columns.map((c) => key[c.name]),
    );
    times.push(rows[0]!['QUERY PLAN'][0]!['Execution Time']);
  }
  return best(times);
}

/** Runs each case through explaining stand-ins; one result per statement it sends. */
async function measure(
  cases: Case[],
  client: PoolClient,
  pool: Pool,
  plans: Record<string, Explained>,
): Promise<PlanResult[]> {
  const baselines = new Map<string, number>();
  const results: PlanResult[] = [];
  for (const c of cases.filter((c) => !only || c.name.startsWith(only))) {
    const sent: Explained[] = [];
    const counter = { sent: 0 };
    const measured = (text: string) => !c.only || c.only.test(text);
    const record = (index: number, explained: Explained) => (sent[index] = explained);
    await c.run(
      explaining(client, RUNS, measured, record, counter),
      explaining(pool, RUNS, measured, record, counter),
    );
    if (sent.length === 0) throw new Error(`${c.name}: sent no statement to measure`);
    if (!baselines.has(c.table)) baselines.set(c.table, await keyLookup(client, c.table));
    const baseline = baselines.get(c.table)!;
    sent.forEach((explained, i) => {
      const part = sent.length === 1 ? '' : `.${c.parts?.[i] ?? `#${i + 1}`}`;
      const name = `plans.${c.name}${part}`;
      const value = best(explained.runs);
      const traits = planTraits(explained.plan, LARGE_TABLES);
      const result: PlanResult = {
        name,
        value: round(value, 3),
        unit: 'ms',
        baseline: round(baseline, 3),
        ratio: round(value / baseline, 1),
        table: c.table,
        seqScans: traits.seqScans,
        sortedRows: traits.sortedRows,
        rows: (explained.plan['Actual Rows'] ?? 0) * (explained.plan['Actual Loops'] ?? 1),
        blocks: traits.blocks,
        tempBlocks: traits.tempBlocks,
      };
      plans[name] = explained;
      results.push(result);
      console.log(JSON.stringify(result));
    });
  }
  return results;
}

function printTable(results: PlanResult[]): void {
  const rows = results.map((r) => [
    r.name.replace(/^plans\./, ''),
    r.value.toFixed(2),
    r.baseline.toFixed(3),
    r.ratio.toFixed(0),
    String(r.rows),
    String(r.blocks),
    r.seqScans.join(',') || '-',
    r.sortedRows ? String(r.sortedRows) : '-',
  ]);
  const header = ['statement', 'ms', 'key ms', '× key', 'rows', 'blocks', 'seq scan', 'sorted rows'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const right = new Set([1, 2, 3, 4, 5, 7]);
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: benchDatabaseUrl });
  await admin.connect();
  const pools: Pool[] = [];
  const clients: PoolClient[] = [];
  // One cleanup however it is reached (the end, a failure, a signal): each caller waits for the same drop.
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of clients) c.release(true);
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      for (const database of Object.values(databases))
        await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    })());
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: dropping ${Object.values(databases).join(', ')}`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const open = (database: string) => {
    const pool = new Pool({ connectionString: databaseUrl(database), max: 4 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const connect = async (pool: Pool) => {
    const client = await pool.connect();
    clients.push(client);
    return client;
  };
  try {
    const started = performance.now();
    for (const database of Object.values(databases)) await admin.query(`create database ${database}`);
    const registry = open(databases.registry);
    const services = open(databases.services);
    await both([createRegistrySchema(registry), createServiceSchema(services)]);
    const [reg, svc] = await Promise.all([connect(registry), connect(services)]);
    console.log(
      `filling ${databases.registry} and ${databases.services}: ${scale.centers} centers, ` +
        `${scale.trailLines} trail lines, ${scale.events} events`,
    );
    // The two databases fill side by side (one statement at a time each): the machine has two cores.
    await both([
      (async () => {
        await fillRegistry(registry, reg, scale);
        await reg.query('vacuum analyze');
        console.log(`registry filled in ${seconds(started)}, ${await sizeOf(reg)}`);
      })(),
      (async () => {
        await fillServices(svc, scale);
        await svc.query('vacuum analyze');
        console.log(`services filled in ${seconds(started)}, ${await sizeOf(svc)}`);
      })(),
    ]);
    const measuring = performance.now();
    const { rows } = await svc.query<{ stream_id: string }>(
      `select stream_id from event_store.events where stream_id like 'reporting-center-%' limit 1`,
    );
    const plans: Record<string, Explained> = {};
    const results = [
      ...(await measure(registryCases(scale), reg, registry, plans)),
      ...(await measure(serviceCases(scale, rows[0]!.stream_id), svc, services, plans)),
    ];
    console.log(`measured in ${seconds(measuring)}, ${seconds(started)} in all`);
    recordResults(results);
    fs.writeFileSync(PLANS_FILE, `${JSON.stringify({ scale, plans }, null, 2)}\n`);
    printTable(results);
    console.log(`plans of the best runs: ${path.relative(process.cwd(), PLANS_FILE)}`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
