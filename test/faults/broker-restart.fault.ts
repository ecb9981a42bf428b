import { PrivateBroker } from '@nqpf/testing';
import { applicationLoad, openYearCall } from './support/application-load';
import { countAfterFault, expectNothingLost, installAppliedWitness, unpublished } from './support/counting';
import { FaultSystem } from './support/system';

/**
 * Broker restart under load: intake and registry (child processes) on a private broker that is stopped
 * and started again while commands flow. Commands keep succeeding (they only need PostgreSQL); the
 * outbox holds their events until the broker is back. Then the same with intake SIGKILLed while the broker
 * is down: the process that dies holds hundreds of committed, unpublished events; its successor's relay
 * publishes them.
 */
jest.setTimeout(240000);

// Not the messaging broker-restart spec's ports, so both may run at once.
const broker = new PrivateBroker(29192, 29193);
let system: FaultSystem;

beforeAll(async () => {
  await broker.start();
  system = await FaultSystem.start('faults_broker', broker.brokers);
  await installAppliedWitness(system.registryDb);
});

afterAll(async () => {
  await system?.close();
  await broker.destroy();
});

it('a broker restart under load loses nothing and applies nothing twice; the standing equals a fresh rebuild', async () => {
  const callId = await openYearCall(system);
  const load = applicationLoad(system, callId);
  await new Promise((r) => setTimeout(r, 3000));
  const beforeStop = load.result.acknowledged.length;
  await broker.stop();
  const whileDown = { from: load.result.acknowledged.length, outbox: 0 };
  await new Promise((r) => setTimeout(r, 5000));
  whileDown.outbox = await unpublished(system.intakeDb);
  const acknowledgedWhileDown = load.result.acknowledged.length - whileDown.from;
  await broker.start();
  await new Promise((r) => setTimeout(r, 3000));
  const { acknowledged, statuses, commands } = await load.stop();

  const tally = await countAfterFault(system, acknowledged);
  console.log(
    `broker restart: ${commands} commands ${JSON.stringify(statuses)}; ${beforeStop} acknowledged before the stop, ${acknowledgedWhileDown} while the broker was down, outbox ${whileDown.outbox} unpublished at the restart; ${JSON.stringify(tally)}`,
  );
  expectNothingLost(tally);
  // Commands went on while the broker was down and their events waited in the outbox.
  expect(acknowledgedWhileDown).toBeGreaterThan(0);
  expect(whileDown.outbox).toBeGreaterThan(0);
});

it('intake SIGKILLed while the broker is down, its outbox full: after both are back every committed event reaches the standing once', async () => {
  const callId = await openYearCall(system);
  const load = applicationLoad(system, callId);
  await new Promise((r) => setTimeout(r, 2000));
  await broker.stop();
  await new Promise((r) => setTimeout(r, 3000));
  await system.killIntake();
  const unpublishedAtKill = await unpublished(system.intakeDb);
  await broker.start();
  await system.startIntake();
  await new Promise((r) => setTimeout(r, 3000));
  const { acknowledged, statuses, commands } = await load.stop();

  const tally = await countAfterFault(system, acknowledged);
  console.log(
    `intake killed with the broker down: ${commands} commands ${JSON.stringify(statuses)}; ${unpublishedAtKill} committed events unpublished at the kill; ${JSON.stringify(tally)}`,
  );
  expectNothingLost(tally);
  // The commit-to-publish window the kill is about held many events, not one.
  expect(unpublishedAtKill).toBeGreaterThan(10);
});
