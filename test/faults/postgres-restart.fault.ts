import { applicationLoad, openYearCall, type LoadResult } from './support/application-load';
import { countAfterFault, expectNothingLost, installAppliedWitness } from './support/counting';
import { PrivatePostgres } from './support/private-postgres';
import { FaultSystem } from './support/system';

/**
 * PostgreSQL restart under load: intake (child process) on a private PostgreSQL that crashes (immediate
 * stop: no checkpoint, every session cut) and comes back while commands flow; the registry stays on the
 * shared server. Commands fail while intake's database is down and succeed again once it is back, without
 * restarting intake; every acknowledged command's event survives the crash and reaches the standing once.
 */
jest.setTimeout(180000);

const postgres = new PrivatePostgres();
let system: FaultSystem;

beforeAll(async () => {
  await postgres.start();
  system = await FaultSystem.start('faults_pg', undefined, {
    intakeDb: await postgres.createDatabase('faults_pg_intake'),
  });
  await installAppliedWitness(system.registryDb);
});

afterAll(async () => {
  await system?.close();
  await postgres.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How far the load has got: acknowledged commands and commands that failed (5xx or no answer). */
function progress(result: LoadResult) {
  const failed = Object.entries(result.statuses)
    .filter(([status]) => Number(status) === 0 || Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  return { acknowledged: result.acknowledged.length, failed };
}

it('a PostgreSQL crash and restart under load loses no acknowledged command; intake recovers by itself and the standing equals a fresh rebuild', async () => {
  const callId = await openYearCall(system);
  const intakePid = system.intake.pid;
  const load = applicationLoad(system, callId);
  await sleep(3000);
  const beforeStop = progress(load.result);
  await postgres.stop('immediate');
  const down = progress(load.result);
  await sleep(3000);
  const stillDown = progress(load.result);
  await postgres.start();
  const back = progress(load.result);
  await sleep(5000);
  const { acknowledged, statuses, commands } = await load.stop();
  const end = progress(load.result);

  const tally = await countAfterFault(system, acknowledged);
  console.log(
    `postgres restart: ${commands} commands ${JSON.stringify(statuses)}; ${beforeStop.acknowledged} acknowledged before the crash, ` +
      `${stillDown.failed - down.failed} failed and ${stillDown.acknowledged - down.acknowledged} acknowledged while it was down, ` +
      `${end.acknowledged - back.acknowledged} acknowledged and ${end.failed - back.failed} failed after the restart; ${JSON.stringify(tally)}`,
  );
  expectNothingLost(tally);
  expect(beforeStop.acknowledged).toBeGreaterThan(0);
  // Commands failed while intake's database was down…
  expect(stillDown.failed - down.failed).toBeGreaterThan(0);
  // …and succeed again once it is back, from the same intake process (no restart).
  expect(end.acknowledged - back.acknowledged).toBeGreaterThan(0);
  expect(system.intake.pid).toBe(intakePid);
});
