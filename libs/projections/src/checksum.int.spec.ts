import { createTestDatabase, TestDatabase } from '@nqpf/testing';
import { readModelChecksum } from './checksum';
import { Tally, tallyProjector } from './test-support';

let db: TestDatabase;
const projector = tallyProjector('checksum_tally', []);
const tallies: Tally[] = [1, 2, 3].map((n) => ({ centerId: `center-${n}`, events: n, totalFen: n * 100 }));

beforeAll(async () => {
  db = await createTestDatabase('checksum');
  for (const schema of ['model_a', 'model_b']) {
    await db.pool.query(`create schema ${schema}`);
    await projector.createTables(db.pool, schema);
  }
});

afterAll(async () => {
  await db.drop();
});

it('is equal for equal rows, whatever order they were written in, and differs when one row differs', async () => {
  await projector.documents.save(db.pool, 'model_a', tallies);
  await projector.documents.save(db.pool, 'model_b', [...tallies].reverse());
  expect(await readModelChecksum(db.pool, projector, 'model_b')).toBe(
    await readModelChecksum(db.pool, projector, 'model_a'),
  );

  await projector.documents.save(db.pool, 'model_b', [{ ...tallies[1]!, totalFen: 201 }]);
  expect(await readModelChecksum(db.pool, projector, 'model_b')).not.toBe(
    await readModelChecksum(db.pool, projector, 'model_a'),
  );
});
