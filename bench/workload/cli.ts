/**
 * npm run workload -- --seed 42 --centers 2000 [--driver direct|http] [--concurrency 16] [--keep] [--plan-only]
 * Builds the scenario from the seed, starts the five write services and the registry in this process on
 * fresh databases (DATABASE_URL admin URL, KAFKA_BROKERS), drives every step, waits for the outboxes to
 * drain to Kafka, and prints the events each store holds. --plan-only prints the plan and its digest.
 */
import '../lib/bench-infra';
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { morningOf } from './calendar';
import { scenarioDigest } from './digest';
import { directDriver } from './drivers/direct-driver';
import { httpDriver } from './drivers/http-driver';
import { runScenario } from './runner';
import { buildScenario } from './scenario';
import { startStack } from './stack';
import { eventCounts, waitForOutboxes } from './store-counts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '42' },
      centers: { type: 'string', default: '2000' },
      years: { type: 'string', default: '5' },
      driver: { type: 'string', default: 'direct' },
      concurrency: { type: 'string', default: '16' },
      keep: { type: 'boolean', default: false },
      'plan-only': { type: 'boolean', default: false },
    },
  });
  const scenario = buildScenario({
    seed: Number(values.seed),
    centers: Number(values.centers),
    years: Number(values.years),
  });
  const outcomes = new Map<string, number>();
  for (const c of scenario.centers) outcomes.set(c.outcome, (outcomes.get(c.outcome) ?? 0) + 1);
  console.log(
    `scenario seed ${values.seed}: ${scenario.centers.length} centers, ${scenario.steps.length} steps ` +
      `to ${scenario.endDay}, digest ${scenarioDigest(scenario)}; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
  );
  if (values['plan-only']) return;

  const stack = await startStack(morningOf(scenario.steps[0]!.day));
  try {
    if (values.driver === 'http') await stack.listen();
    const driver = values.driver === 'http' ? httpDriver(stack) : directDriver(stack);
    let lastLog = 0;
    const report = await runScenario(stack, scenario, driver, {
      concurrency: Number(values.concurrency),
      onProgress: (done, total, day) => {
        if (performance.now() - lastLog < 10_000 && done < total) return;
        lastLog = performance.now();
        console.log(`${day}: ${done}/${total} steps`);
      },
    });
    await waitForOutboxes(stack);
    const counts = await eventCounts(stack);
    const events = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(
      `${report.steps} steps in ${(report.wallMs / 1000).toFixed(0)} s (${((report.steps * 1000) / report.wallMs).toFixed(0)} steps/s, ` +
        `${report.retries} retries); events ${events} ${JSON.stringify(counts)}; topic prefix ${stack.topicPrefix}`,
    );
    if (values.keep)
      console.log(
        `databases kept: ${Object.values(stack.services)
          .map((s) => s.db.url)
          .join(' ')}`,
      );
  } finally {
    await stack.close({ keepDatabases: values.keep });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
