import request from 'supertest';
import { replayStores } from '@nqpf/audit';
import { mintDevToken } from '@nqpf/auth';
import { eventually } from '@nqpf/testing';
import { morningOf } from './calendar';
import { directDriver } from './drivers/direct-driver';
import type { Driver } from './drivers/driver';
import { httpDriver } from './drivers/http-driver';
import { runScenario } from './runner';
import { buildScenario, type Outcome, type Scenario } from './scenario';
import { type Stack, startStack } from './stack';
import type { Service } from './steps';
import { waitForOutboxes } from './store-counts';

const STATUS: Record<Outcome, string> = {
  ineligible: 'rejected',
  'not-listed': 'rejected',
  recognised: 'recognised',
  revoked: 'revoked',
};

interface LedgerYear {
  granted: string;
  disbursed: string;
  spent: string;
}

/** Drives a tiny scenario through real services, PostgreSQL and Kafka; the registry must tell its story. */
async function driveAndCompare(scenario: Scenario, driverOf: (stack: Stack) => Promise<Driver>) {
  const stack = await startStack(morningOf(scenario.steps[0]!.day));
  try {
    const report = await runScenario(stack, scenario, await driverOf(stack), { concurrency: 4 });
    expect(report.steps).toBe(scenario.steps.length);
    await waitForOutboxes(stack);
    const token = await mintDevToken({ role: 'city_bureau', sub: 'wl-check' }, { seed: stack.identitySeed });
    const get = (path: string) =>
      request(stack.registry.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);
    for (const center of scenario.centers) {
      await eventually(
        async () => {
          const standing = await get(`/standing/${center.centerId}`).expect(200);
          expect({ center: center.n, status: standing.body.status }).toEqual({
            center: center.n,
            status: STATUS[center.outcome],
          });
          if (center.outcome !== 'recognised' && center.outcome !== 'revoked') return;
          const ledger = await get(`/ledger/${center.centerId}`).expect(200);
          const years = ledger.body.years as LedgerYear[];
          const sum = (field: keyof LedgerYear) => years.reduce((total, y) => total + BigInt(y[field]), 0n);
          expect({
            center: center.n,
            granted: sum('granted'),
            disbursed: sum('disbursed'),
            spent: sum('spent'),
          }).toEqual({
            center: center.n,
            granted: center.granted,
            disbursed: center.disbursed,
            spent: center.spent,
          });
        },
        120_000,
        500,
      );
    }
    // Every automated decision the services recorded replays to the same result, and every event does
    // what its decision decided (nqpf audit replay on the five stores).
    const replay = await replayStores(
      (Object.keys(stack.services) as Service[]).map((name) => ({ name, url: stack.services[name].db.url })),
    );
    expect(replay.stores.map((s) => [s.store, s.error, s.mismatches])).toEqual(
      replay.stores.map((s) => [s.store, undefined, []]),
    );
    expect(replay.decisions).toBeGreaterThan(scenario.centers.length * 5);
  } finally {
    await stack.close();
  }
}

describe('workload on real services', () => {
  it('drives five centers through the services’ own command path; the registry’s standing and ledger agree with the plan', async () => {
    const scenario = buildScenario({ seed: 14, centers: 5, years: 3 });
    expect(new Set(scenario.centers.map((c) => c.outcome))).toEqual(
      new Set(['recognised', 'revoked', 'ineligible', 'not-listed']),
    );
    await driveAndCompare(scenario, async (stack) => directDriver(stack));
  }, 300_000);

  it('drives two centers through the public HTTP APIs with development tokens', async () => {
    const scenario = buildScenario({ seed: 3, centers: 2, years: 2, activitiesPerYear: 20 });
    await driveAndCompare(scenario, async (stack) => {
      await stack.listen();
      return httpDriver(stack);
    });
  }, 300_000);
});
