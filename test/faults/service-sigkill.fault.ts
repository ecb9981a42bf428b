import { applicationLoad, openYearCall } from './support/application-load';
import { countAfterFault, expectNothingLost, installAppliedWitness, unpublished } from './support/counting';
import { FaultSystem } from './support/system';

/**
 * (a) as a whole service: intake (a child process) is SIGKILLed while commands are in flight and committed
 * events still wait in its outbox, then started again. Counted end to end at the registry's standing.
 */
jest.setTimeout(180000);

let system: FaultSystem;

beforeAll(async () => {
  system = await FaultSystem.start('faults_kill');
  await installAppliedWitness(system.registryDb);
});

afterAll(async () => {
  await system?.close();
});

/** Polls the outbox from outside and kills as soon as a committed event is not yet published. */
async function killBetweenCommitAndPublish(): Promise<number> {
  const deadline = Date.now() + 20000;
  while ((await unpublished(system.intakeDb)) === 0 && Date.now() < deadline);
  await system.killIntake();
  return unpublished(system.intakeDb);
}

it('a SIGKILLed intake loses no acknowledged command; after restart every event reaches the standing once', async () => {
  const callId = await openYearCall(system);
  const load = applicationLoad(system, callId);
  const pending: number[] = [];
  for (let round = 0; round < 2; round++) {
    await new Promise((r) => setTimeout(r, 3000));
    pending.push(await killBetweenCommitAndPublish());
    await system.startIntake();
  }
  await new Promise((r) => setTimeout(r, 2000));
  const { acknowledged, statuses, commands } = await load.stop();

  const tally = await countAfterFault(system, acknowledged);
  console.log(
    `service SIGKILL: ${commands} commands ${JSON.stringify(statuses)}; unpublished at the kills ${pending.join(
      ', ',
    )}; ${JSON.stringify(tally)}`,
  );
  expectNothingLost(tally);
  // The kill must have hit the window it is about, or the run proved nothing about it.
  expect(Math.max(...pending)).toBeGreaterThan(0);
  expect(statuses[201]).toBeGreaterThan(0);
});
