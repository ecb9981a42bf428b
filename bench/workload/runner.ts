import { morningOf } from './calendar';
import { type Driver, type Reply, StepRefused } from './drivers/driver';
import type { Scenario } from './scenario';
import type { Stack } from './stack';
import type { Step } from './steps';

export interface RunOptions {
  /** Centers whose steps of one day run at the same time. */
  concurrency?: number;
  /** How long a step refused for want of another service's event (403/404/409, 503) is retried. */
  retryForMs?: number;
  onProgress?: (done: number, total: number, day: string) => void;
}

export interface RunReport {
  steps: number;
  retries: number;
  wallMs: number;
}

/**
 * Walks the scenario day by day: sets the shared clock to the day's morning, fires the deadlines it
 * passed, then runs the day's steps — the global ones (experts, calls) first, then each center's in order,
 * centers side by side. A step that depends on an event still crossing Kafka (a candidacy not yet opened,
 * an account not yet open) is refused with 403/404/409, or 503 (a copy still catching up: the report
 * periods an assessment counts), and retried on the same simulated day.
 */
export async function runScenario(
  stack: Stack,
  scenario: Scenario,
  driver: Driver,
  options: RunOptions = {},
): Promise<RunReport> {
  const concurrency = options.concurrency ?? 16;
  const retryForMs = options.retryForMs ?? 120_000;
  const saved = new Map<string, string>();
  const report: RunReport = { steps: 0, retries: 0, wallMs: 0 };
  const started = performance.now();

  const resolve = (body: Record<string, unknown> | undefined) => {
    if (!body) return body;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string' && v.startsWith('$var:')) {
        const value = saved.get(v.slice(5));
        if (value === undefined) throw new Error(`${k}: nothing saved under ${v.slice(5)}`);
        out[k] = value;
      } else out[k] = v;
    }
    return out;
  };

  const run = async (step: Step) => {
    const deadline = performance.now() + retryForMs;
    for (let wait = 20; ; wait = Math.min(wait * 2, 500)) {
      try {
        const reply = await driver.execute(step, resolve(step.body));
        if (step.save) saved.set(step.save.key, savedValue(reply, step.save.from, step));
        report.steps += 1;
        return;
      } catch (err) {
        const waiting = err instanceof StepRefused && [403, 404, 409, 503].includes(err.status);
        if (!waiting || performance.now() > deadline)
          throw new Error(`${step.day} ${step.kind} ${step.target ?? ''}: ${(err as Error).message}`, {
            cause: err,
          });
        report.retries += 1;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };

  let i = 0;
  const steps = scenario.steps;
  while (i < steps.length) {
    const day = steps[i]!.day;
    let j = i;
    while (j < steps.length && steps[j]!.day === day) j++;
    stack.clock.set(morningOf(day));
    await stack.tick();
    const lanes = new Map<string, Step[]>();
    for (const step of steps.slice(i, j)) {
      if (step.centerId === null) await run(step);
      else lanes.set(step.centerId, [...(lanes.get(step.centerId) ?? []), step]);
    }
    const queue = [...lanes.values()];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) for (const step of lane) await run(step);
      }),
    );
    options.onProgress?.(j, steps.length, day);
    i = j;
  }
  report.wallMs = performance.now() - started;
  return report;
}

function savedValue(reply: Reply, from: 'callId' | 'declarationId', step: Step): string {
  const value = from === 'callId' ? reply.callId : reply.recorded?.[0]?.payload?.declarationId;
  if (!value) throw new Error(`${step.kind} ${step.target ?? ''}: no ${from} in the reply`);
  return value;
}
