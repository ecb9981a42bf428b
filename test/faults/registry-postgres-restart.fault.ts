import { applicationLoad, openYearCall, type LoadResult } from './support/application-load';
import { countAfterFault, expectNothingLost, installAppliedWitness } from './support/counting';
import { PrivatePostgres } from './support/private-postgres';
import { FaultSystem } from './support/system';

/**
 * The read side's PostgreSQL crashes under load: the registry (child process) on a private server that
 * stops immediately (no checkpoint, every session cut) and comes back while commands flow to intake. The
 * standing's batches commit with synchronous_commit off, so the crash may lose commits the registry had
 * already been told of, and Kafka offsets committed after them: the projection must find its checkpoints
 * behind and apply those batches again — each stream's versions once, in order, nothing skipped — without
 * a restart, and the live standing must equal a fresh rebuild. The write side does not wait for the read
 * side: commands are acknowledged throughout.
 */
jest.setTimeout(180000);

const postgres = new PrivatePostgres(29433);
let system: FaultSystem;

beforeAll(async () => {
  await postgres.start();
  system = await FaultSystem.start('faults_regpg', undefined, {
    registryDb: await postgres.createDatabase('faults_regpg_registry'),
  });
  await installAppliedWitness(system.registryDb);
});

afterAll(async () => {
  await system?.close();
  await postgres.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const acknowledged = (result: LoadResult) => result.acknowledged.length;

it("a crash of the registry's PostgreSQL under load: intake goes on, the registry recovers by itself, every stream applied once and the standing equals a fresh rebuild", async () => {
  const callId = await openYearCall(system);
  const registryPid = system.registries[0]!.pid;
  const load = applicationLoad(system, callId);
  await sleep(3000);
  await postgres.stop('immediate');
  const down = acknowledged(load.result);
  await sleep(3000);
  const whileDown = acknowledged(load.result) - down;
  await postgres.start();
  await sleep(5000);
  const { acknowledged: all, statuses, commands } = await load.stop();

  const tally = await countAfterFault(system, all);
  console.log(
    `registry postgres restart: ${commands} commands ${JSON.stringify(statuses)}; ${whileDown} acknowledged ` +
      `while the registry's database was down; ${JSON.stringify({ ...tally, lostAcknowledged: tally.lostAcknowledged.length })}`,
  );
  expectNothingLost(tally);
  expect(whileDown).toBeGreaterThan(0);
  expect(system.registries[0]!.pid).toBe(registryPid);
});
