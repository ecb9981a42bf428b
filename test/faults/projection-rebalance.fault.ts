import { createKafka } from '@nqpf/messaging';
import { eventually } from '@nqpf/testing';
import { applicationLoad, openYearCall } from './support/application-load';
import { countAfterFault, expectNothingLost, installAppliedWitness } from './support/counting';
import { FaultSystem } from './support/system';

/**
 * Forced rebalances under load: registry processes (projection consumers in the same groups, on one
 * database, as replicas) join and leave while intake's events flow; the original one leaves too, so every
 * partition changes hands at least once. Each join or leave rebalances every group of the registry.
 */
jest.setTimeout(240000);

let system: FaultSystem;

beforeAll(async () => {
  system = await FaultSystem.start('faults_rebalance');
  await installAppliedWitness(system.registryDb);
});

afterAll(async () => {
  await system?.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the standing projection's group has settled with this many members; returns the elapsed ms. */
async function groupSettles(members: number): Promise<number> {
  const started = Date.now();
  const admin = createKafka(`faults-admin-${system.prefix}`, system.brokers).admin();
  await admin.connect();
  try {
    const group = `${system.prefix}.registry.projection.standing`;
    await eventually(
      async () => {
        const [described] = (await admin.describeGroups([group])).groups;
        expect({ state: described!.state, members: described!.members.length }).toEqual({
          state: 'Stable',
          members,
        });
      },
      30000,
      200,
    );
  } finally {
    await admin.disconnect();
  }
  return Date.now() - started;
}

it('registries joining and leaving under load apply each event once; the standing equals a fresh rebuild', async () => {
  const callId = await openYearCall(system);
  const load = applicationLoad(system, callId);
  const [first] = system.registries;
  const settled: number[] = [];
  await pause(2000);
  const second = await system.startRegistry();
  settled.push(await groupSettles(2));
  const third = await system.startRegistry();
  settled.push(await groupSettles(3));
  await system.stopRegistry(first!);
  settled.push(await groupSettles(2));
  const fourth = await system.startRegistry();
  settled.push(await groupSettles(3));
  await system.stopRegistry(second);
  settled.push(await groupSettles(2));
  await system.stopRegistry(third);
  settled.push(await groupSettles(1));
  await pause(2000);
  const { acknowledged, statuses, commands } = await load.stop();
  expect(system.registries).toEqual([fourth]);

  const tally = await countAfterFault(system, acknowledged);
  console.log(
    `rebalance: 6 membership changes (3 joins, 3 leaves), the standing group settled ${settled.join(
      ', ',
    )} ms after each; ${commands} commands ${JSON.stringify(statuses)}; ${JSON.stringify(tally)}`,
  );
  expectNothingLost(tally);
});
