// Soak: intake, review and the registry as child processes under a steady open-loop load of real commands
// (each new application drafted, submitted, endorsed and accepted; review opens a candidacy per acceptance,
// the registry projects every event). Every window it scrapes each service's /metrics and PostgreSQL's
// pg_stat_activity, then judges whether memory, handles, pool sizes, connections, lag and latency stay flat.
// Documented in docs/reliability.md (Soak); not in CI. Env: SOAK_MINUTES (default 30), SOAK_RATE
// (commands/s, default 40), SOAK_SAMPLE_SECONDS (default 30), DATABASE_URL (admin URL), KAFKA_BROKERS.
import '../lib/bench-infra';
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import {
  applicationFacts,
  createTestDatabase,
  requiredMaterials,
  testInfra,
  uniqueName,
  type TestDatabase,
} from '@nqpf/testing';
import { startServiceProcess, type ServiceProcess } from '../e2e/service-process';
import { openLoop, percentile, post } from '../lib/open-loop';
import { scrape } from './prometheus';
import { judge, type Point, type Rule, type Verdict } from './verdict';
import { shanghaiToday } from '@nqpf/rules';

const minutes = Number(process.env.SOAK_MINUTES ?? 30);
const rate = Number(process.env.SOAK_RATE ?? 40);
const sampleSeconds = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30);
const windows = Math.max(1, Math.round((minutes * 60) / sampleSeconds));
/** The first 10 % of windows (at least one) are warm-up: JIT, pools and caches filling. */
const warmup = Math.max(1, Math.round(windows / 10));
const DISTRICT = '南关区';
const SERVICES = ['intake', 'review', 'registry'] as const;
type Service = (typeof SERVICES)[number];

/** What each window records per service, from its /metrics (prom-client defaults and the platform's). */
const SCRAPED = {
  rssBytes: 'process_resident_memory_bytes',
  heapUsedBytes: 'nodejs_heap_size_used_bytes',
  activeHandles: 'nodejs_active_handles_total',
  openFds: 'process_open_fds',
  poolClients: 'pg_pool_clients',
  poolIdle: 'pg_pool_idle_clients',
  poolWaiting: 'pg_pool_waiting_requests',
  consumerLag: 'nqpf_consumer_lag',
  outboxBacklog: 'outbox_backlog',
} as const;
type Measure = keyof typeof SCRAPED | 'pgConnections';

const LAG_BOUND = rate * 5; // five seconds of offered commands, each one event
const RULES: Record<Measure, Rule> = {
  rssBytes: { kind: 'relative-slope', percentPerHour: 10 },
  heapUsedBytes: { kind: 'floor', percent: 20 },
  activeHandles: { kind: 'bounded', slack: 10 },
  openFds: { kind: 'bounded', slack: 10 },
  poolClients: { kind: 'bounded', slack: 2 },
  poolIdle: { kind: 'bounded', slack: 2 },
  poolWaiting: { kind: 'bounded', slack: 2 },
  pgConnections: { kind: 'bounded', slack: 2 },
  consumerLag: { kind: 'at-most', max: LAG_BOUND },
  outboxBacklog: { kind: 'at-most', max: LAG_BOUND },
};
const LATENCY_RULE: Rule = { kind: 'ratio', factor: 2 };

interface Sample {
  minute: number;
  loadAverage1m: number;
  services: Record<Service, Partial<Record<Measure, number>>>;
  intake: { sent: number; errors: number; failures: Record<string, number>; p50Ms: number; p99Ms: number };
  /** Applications drafted so far and the registry's standing rows (the projection keeping up). */
  drafted: number;
  standingRows: number;
}

const run = uniqueName('soak');
const seed = `seed-${run}`;
const token = (request: DevTokenRequest) => mintDevToken({ ttl: 7200, ...request }, { seed });

async function startAll(): Promise<{
  services: Record<Service, ServiceProcess>;
  dbs: Record<Service, TestDatabase>;
}> {
  const dbs = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, await createTestDatabase(`soak_${s}`)] as const)),
  ) as Record<Service, TestDatabase>;
  const started = await Promise.all(
    SERVICES.map((s) =>
      startServiceProcess(s, {
        NODE_ENV: 'development',
        DATABASE_URL: dbs[s].url,
        KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
        KAFKA_TOPIC_PREFIX: run,
        AUTH_DEV_IDENTITY: '1',
        AUTH_DEV_IDENTITY_SEED: seed,
      }),
    ),
  );
  return { services: Object.fromEntries(SERVICES.map((s, i) => [s, started[i]!])) as never, dbs };
}

/**
 * The load: command i is step (i mod 4) of a pipeline in which each application is drafted, then submitted
 * `spacing` applications later, endorsed and accepted likewise — so a step's predecessor was sent about
 * two seconds before it and has long been answered. A step still waits for it, in case it has not.
 */
function applicationPipeline(port: number, callId: string, office: string, bureau: string) {
  const spacing = Math.max(1, Math.round(rate / 2));
  const facts = applicationFacts();
  const materials = requiredMaterials();
  const apps = new Map<number, { id: string; token: Promise<string> }>();
  const pending = new Map<number, Promise<number>>();
  let drafted = 0;
  const app = (n: number) => {
    let a = apps.get(n);
    if (!a) {
      const id = uuidv7();
      a = { id, token: token({ role: 'operator', centerId: id, sub: `op-${id}` }) };
      apps.set(n, a);
    }
    return a;
  };
  const step = async (lane: number, n: number): Promise<number> => {
    const a = app(n);
    switch (lane) {
      case 0:
        app(n + spacing); // mint the next operators' tokens ahead of their drafts
        drafted += 1;
        return post(port, '/applications', await a.token, { callId, district: DISTRICT, facts, materials });
      case 1:
        return post(port, `/applications/${a.id}/submit`, await a.token, {});
      case 2:
        return post(port, `/applications/${a.id}/endorse`, office, { opinion: '同意' });
      default:
        apps.delete(n);
        return post(port, `/applications/${a.id}/accept`, bureau, {});
    }
  };
  const command = (i: number): Promise<number> => {
    const lane = i % 4;
    const n = Math.floor(i / 4) + (3 - lane) * spacing;
    const before = pending.get(n) ?? Promise.resolve(0);
    const sent = before.then(
      () => step(lane, n),
      () => step(lane, n),
    );
    if (lane === 3) pending.delete(n);
    else pending.set(n, sent);
    return sent;
  };
  /** Brings the first 3 × spacing applications to the states the pipeline expects at command 0. */
  const prime = async () => {
    for (let lane = 0; lane < 3; lane++) {
      const upTo = (3 - lane) * spacing;
      for (let n = 0; n < upTo; n += 8) {
        const batch = Array.from({ length: Math.min(8, upTo - n) }, (_, k) => step(lane, n + k));
        for (const status of await Promise.all(batch))
          if (status >= 300) throw new Error(`priming step ${lane} → ${status}`);
      }
    }
  };
  return { command, prime, drafted: () => drafted };
}

async function main(): Promise<void> {
  const { services, dbs } = await startAll();
  // The bench's own connections carry this name, so pg_stat_activity counts only the services'.
  const admin = new Pool({
    connectionString: testInfra().databaseUrl,
    max: 1,
    application_name: 'nqpf-soak',
  });
  const registryReader = new Pool({
    connectionString: dbs.registry.url,
    max: 1,
    application_name: 'nqpf-soak',
  });
  const databaseOf = (url: string) => new URL(url).pathname.slice(1);
  const samples: Sample[] = [];
  const uptime = () => execSync('uptime').toString().trim();
  const started = { at: new Date().toISOString(), uptime: uptime() };
  console.log(
    `soak ${run}: ${minutes} min at ${rate} commands/s, sampled every ${sampleSeconds} s; ${started.uptime}`,
  );
  try {
    const bureau = await token({ role: 'city_bureau', sub: 'soak-bureau' });
    const office = await token({ role: 'district_office', district: DISTRICT, sub: 'soak-office' });
    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const callRes = await fetch(`http://127.0.0.1:${services.intake.port}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` }),
    });
    if (!callRes.ok) throw new Error(`open call → ${callRes.status}`);
    const { callId } = (await callRes.json()) as { callId: string };
    // An interrupted soak still stops its services and drops its databases (the finally below).
    let stopping = false;
    const stop = () => void (stopping = true);
    process.once('SIGINT', stop).once('SIGTERM', stop);
    const pipeline = applicationPipeline(services.intake.port, callId, office, bureau);
    await pipeline.prime();

    const t0 = performance.now();
    const perWindow = rate * sampleSeconds;
    for (let w = 0; w < windows && !stopping; w++) {
      // One open-loop run per window, so each window has its own latencies; the scrape between runs takes
      // milliseconds, a negligible pause in the offered load.
      const offset = w * perWindow;
      const failures: Record<string, number> = {};
      const fail = (why: string) => (failures[why] = (failures[why] ?? 0) + 1);
      const load = await openLoop(rate, perWindow, (i) =>
        pipeline.command(offset + i).then(
          (status) => (status >= 300 && fail(String(status)), status),
          (err: Error) => {
            fail(err.message);
            throw err;
          },
        ),
      );
      const sample: Sample = {
        minute: (performance.now() - t0) / 60_000,
        loadAverage1m: os.loadavg()[0]!,
        services: {} as Sample['services'],
        intake: {
          sent: perWindow,
          errors: load.errors,
          failures,
          p50Ms: percentile(load.latencies, 50),
          p99Ms: percentile(load.latencies, 99),
        },
        drafted: pipeline.drafted(),
        standingRows: Number(
          (await registryReader.query<{ n: string }>('select count(*) as n from standing.standing')).rows[0]!
            .n,
        ),
      };
      const connections = await admin.query<{ datname: string; n: string }>(
        `select datname, count(*) as n from pg_stat_activity
          where datname = any($1) and application_name <> 'nqpf-soak' group by datname`,
        [SERVICES.map((s) => databaseOf(dbs[s].url))],
      );
      for (const s of SERVICES) {
        const metrics = await scrape(services[s].port);
        const row: Partial<Record<Measure, number>> = {};
        for (const [measure, name] of Object.entries(SCRAPED))
          if (name in metrics) row[measure as Measure] = metrics[name];
        row.pgConnections = Number(
          connections.rows.find((r) => r.datname === databaseOf(dbs[s].url))?.n ?? 0,
        );
        sample.services[s] = row;
      }
      samples.push(sample);
      const i = sample.services.intake;
      const r = sample.services.registry;
      console.log(
        `[${sample.minute.toFixed(1)} min] intake p50 ${sample.intake.p50Ms.toFixed(1)} ms p99 ${sample.intake.p99Ms.toFixed(1)} ms ` +
          `errors ${load.errors} ${JSON.stringify(failures)}; rss MB intake ${mb(i.rssBytes)} review ${mb(sample.services.review.rssBytes)} registry ${mb(r.rssBytes)}; ` +
          `registry lag ${r.consumerLag ?? '-'}; standing ${sample.standingRows}/${sample.drafted}; load ${sample.loadAverage1m.toFixed(2)}`,
      );
    }
    const finished = { at: new Date().toISOString(), uptime: uptime() };
    const verdicts = judgeAll(samples);
    printVerdicts(verdicts);
    const file = writeSeries({
      run,
      minutes,
      rate,
      sampleSeconds,
      warmup,
      started,
      finished,
      samples,
      verdicts,
    });
    console.log(`series → ${file}; ${finished.uptime}`);
    const errors = samples.reduce((s, x) => s + x.intake.errors, 0);
    const growing = verdicts.filter((v) => v.growing);
    if (errors > 0) console.log(`${errors} commands failed`);
    for (const v of growing) console.log(`GROWING: ${v.service} ${v.measure} (${v.threshold})`);
    process.exitCode = growing.length > 0 || errors > 0 ? 1 : 0;
  } finally {
    await Promise.all(SERVICES.map((s) => services[s].close()));
    await Promise.all([admin.end(), registryReader.end()]);
    await Promise.all(SERVICES.map((s) => dbs[s].drop()));
  }
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 2 ** 20).toFixed(0));

type Judged = Verdict & { service: string; measure: string };

function judgeAll(samples: Sample[]): Judged[] {
  const out: Judged[] = [];
  const series = (value: (s: Sample) => number | undefined): Point[] =>
    samples.flatMap((s) => {
      const v = value(s);
      return v === undefined || Number.isNaN(v) ? [] : [{ minute: s.minute, value: v }];
    });
  for (const service of SERVICES)
    for (const measure of Object.keys(RULES) as Measure[]) {
      const points = series((s) => s.services[service][measure]);
      if (points.length > 0) out.push({ service, measure, ...judge(points, RULES[measure], warmup) });
    }
  for (const p of ['p50Ms', 'p99Ms'] as const)
    out.push({
      service: 'intake',
      measure: `latency ${p}`,
      ...judge(
        series((s) => s.intake[p]),
        LATENCY_RULE,
        warmup,
      ),
    });
  return out;
}

function printVerdicts(verdicts: Judged[]): void {
  const fmt = (x: number) =>
    Math.abs(x) >= 1e5 ? `${(x / 2 ** 20).toFixed(1)}Mi` : x.toFixed(Math.abs(x) < 10 ? 2 : 0);
  console.table(
    verdicts.map((v) => ({
      service: v.service,
      measure: v.measure,
      first: fmt(v.first),
      last: fmt(v.last),
      'slope/h': fmt(v.slopePerHour),
      verdict: v.growing ? 'growing' : 'flat',
      threshold: v.threshold,
    })),
  );
}

function writeSeries(result: unknown): string {
  const dir = path.resolve(__dirname, '../results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
