// Per-service command latency (p50/p99) and throughput at a fixed arrival rate (open loop), each service a
// child process on its own database, next to a raw baseline measured in the same run: the same driver
// against a bare node:http server doing one PostgreSQL INSERT per request (bench/services/raw).
// Commands: intake draft, review expert assignment, reporting quarterly report, finance expenditure.
// Assessment is left out: its services run on the wall clock here, A17.1 grades only a finished year and
// the default policy starts in 2026, so no center can be graded yet (the workload grades under its clock). Env: DATABASE_URL (admin URL), KAFKA_BROKERS, BENCH_SERVICES_RATE (requests/s, default 30),
// BENCH_SERVICES_SECONDS (default 6).
import '../lib/bench-infra';
import 'reflect-metadata';
import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import { createKafka } from '@nqpf/messaging';
import {
  applicationFacts,
  createTestDatabase,
  publishRecognition,
  requiredMaterials,
  testInfra,
  uniqueName,
} from '@nqpf/testing';
import { startServiceProcess, type ServiceProcess } from '../e2e/service-process';
import { printTable, recordResults, type BenchResult } from '../lib/results';
import { openLoop, percentile, post, type OpenLoopRun } from '../lib/open-loop';
import { shanghaiToday } from '@nqpf/rules';

const rate = Number(process.env.BENCH_SERVICES_RATE ?? 30);
const seconds = Number(process.env.BENCH_SERVICES_SECONDS ?? 6);
const total = rate * seconds;
const EVIDENCE = 'e'.repeat(64);
const DISTRICT = '南关区';

const run = uniqueName('bench_svc');
const seed = `seed-${run}`;
const token = (request: DevTokenRequest) => mintDevToken({ ttl: 3600, ...request }, { seed });
const operator = (centerId: string) => token({ role: 'operator', centerId, sub: `op-${centerId}` });

async function start(service: string, prefix: string): Promise<ServiceProcess> {
  const db = await createTestDatabase(`bench_${service.split('/').at(-1)}`);
  return startServiceProcess(service, {
    NODE_ENV: 'development',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    AUTH_DEV_IDENTITY: '1',
    AUTH_DEV_IDENTITY_SEED: seed,
  });
}

/** Must succeed: setup steps. */
async function must(port: number, path: string, bearer: string, body: unknown = {}): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const status = await post(port, path, bearer, body);
    if (status < 300) return;
    // 404/409: the event that opens the target is still on its way over Kafka.
    if (attempt > 600 || ![404, 409, 403].includes(status)) throw new Error(`${path} → ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

async function main(): Promise<void> {
  // intake and review share topics (review opens candidacies from intake's acceptances); reporting and
  // finance take recognitions dated 2026 (finance's default policy starts then).
  const [p1, p2] = [`${run}_a`, `${run}_b`];
  const [intake, review, reporting, finance, raw] = await Promise.all([
    start('intake', p1),
    start('review', p1),
    start('reporting', p2),
    start('finance', p2),
    // bench/services/raw/src/main.ts, started the same way as the services (service-process resolves apps/<name>).
    start('../bench/services/raw', p1),
  ]);
  const all = [intake, review, reporting, finance, raw];
  try {
    const kafka = createKafka('bench-services', testInfra().kafkaBrokers);
    const bureau = await token({ role: 'city_bureau', sub: 'bench-bureau' });
    const office = await token({ role: 'district_office', district: DISTRICT, sub: 'bench-office' });
    const officer = await token({ role: 'finance_officer', sub: 'bench-finance' });
    const facts = applicationFacts();
    const materials = requiredMaterials();

    const year = Number(shanghaiToday(new Date()).slice(0, 4));
    const callRes = await fetch(`http://127.0.0.1:${intake.port}/calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bureau}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year, opensOn: `${year}-01-01`, closesOn: `${year}-12-31` }),
    });
    const { callId } = (await callRes.json()) as { callId: string };
    await must(review.port, '/experts/bench-expert', bureau, { name: '专家', specialties: ['技术转移'] });

    // Setup: candidacies for review (the real intake path), recognised centers for the others.
    const ids = (n: number) => Array.from({ length: n }, () => uuidv7());
    const candidacies = ids(total);
    await inBatches(candidacies, 16, async (id) => {
      const op = await operator(id);
      await must(intake.port, '/applications', op, { callId, district: DISTRICT, facts, materials });
      await must(intake.port, `/applications/${id}/submit`, op);
      await must(intake.port, `/applications/${id}/endorse`, office, { opinion: '同意' });
      await must(intake.port, `/applications/${id}/accept`, bureau);
    });
    const reportCenters = ids(total);
    const accounts = ids(Math.max(10, Math.ceil(rate / 2)));
    await inBatches([...reportCenters, ...accounts], 20, (id) =>
      publishRecognition(kafka, p2, id, DISTRICT, '2026-01-05').then(() => undefined),
    );
    await inBatches(accounts, 8, async (id) => {
      const op = await operator(id);
      const items = [
        { category: 'rent', amountYuan: '2000000.00', evidenceHash: EVIDENCE, description: '租金' },
      ];
      const declared = await fetchJson(finance.port, `/accounts/${id}/year1-costs`, op, { items });
      const declarationId = declared.recorded[0]!.payload.declarationId;
      await must(finance.port, `/accounts/${id}/year1-costs/approve`, bureau, {
        declarationId,
        approvedYuan: '2000000.00',
      });
      await must(finance.port, `/accounts/${id}/disbursements`, officer, {
        supportYear: 1,
        amountYuan: '1000000.00',
        reference: `国库支付凭证 ${id}`,
      });
    });
    const operatorsOf = async (list: string[]) => Promise.all(list.map(operator));
    const [draftOps, reportOps, accountOps] = await Promise.all([
      operatorsOf(ids(total)),
      operatorsOf(reportCenters),
      operatorsOf(accounts),
    ]);
    // Every recognised center must be known before its measured command.
    await waitKnown(reporting.port, reportCenters, bureau, (id) => `/centers/${id}/obligations`);

    const runs: [string, OpenLoopRun][] = [];
    const measure = async (name: string, send: (i: number) => Promise<number>) => {
      runs.push([name, await openLoop(rate, total, send)]);
      console.log(`${name}: done`);
    };
    await measure('raw insert', (i) => post(raw.port, '/commands', bureau, { i, facts }));
    await measure('intake draft', (i) =>
      post(intake.port, '/applications', draftOps[i]!, { callId, district: DISTRICT, facts, materials }),
    );
    await measure('review assign expert', (i) =>
      post(review.port, `/candidacies/${candidacies[i]}/experts`, bureau, { expertId: 'bench-expert' }),
    );
    await measure('reporting file report', (i) =>
      post(reporting.port, `/centers/${reportCenters[i]}/reports`, reportOps[i]!, {
        kind: 'quarterly',
        year: 2026,
        quarter: 1,
        content: { majorActivities: '路演', importantResults: '成果' },
      }),
    );
    await measure('finance expenditure', (i) => {
      const a = i % accounts.length;
      return post(finance.port, `/accounts/${accounts[a]}/expenditures`, accountOps[a]!, {
        supportYear: 1,
        category: 'rent',
        amountYuan: '100.00',
        spentOn: '2026-03-01',
        // An invoice each: the same one again is the same spending twice, refused (A13).
        evidenceHash: i.toString(16).padStart(64, 'e'),
      });
    });

    const baseline = runs[0]![1];
    const results: BenchResult[] = [];
    for (const [name, r] of runs.slice(1)) {
      if (r.errors > 0) console.log(`${name}: ${r.errors} of ${total} requests failed`);
      const row = (metric: string, value: number, base: number, unit: string) =>
        results.push({
          name: `services ${name} ${metric} @${rate}/s`,
          value,
          unit,
          baseline: base,
          ratio: value / base,
        });
      row('p50', percentile(r.latencies, 50), percentile(baseline.latencies, 50), 'ms');
      row('p99', percentile(r.latencies, 99), percentile(baseline.latencies, 99), 'ms');
      row('throughput', r.throughput, baseline.throughput, 'cmd/s');
    }
    printTable(results);
    console.log(`results → ${recordResults(results)}`);
  } finally {
    await Promise.all(all.map((s) => s.close()));
  }
}

async function fetchJson(port: number, path: string, bearer: string, body: unknown) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.ok) return (await res.json()) as { recorded: { payload: { declarationId: string } }[] };
    if (attempt > 600 || ![403, 404, 409].includes(res.status)) throw new Error(`${path} → ${res.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the service knows every id (its consumer has applied their recognitions). */
async function waitKnown(port: number, list: string[], bearer: string, path: (id: string) => string) {
  for (const id of [list.at(-1)!, ...list]) {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`http://127.0.0.1:${port}${path(id)}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      await res.arrayBuffer();
      if (res.ok) break;
      if (attempt > 1200) throw new Error(`${path(id)} never appeared`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
