import { createTestDatabase, TestDatabase } from '@nqpf/testing';
import { closeBatch, createRuntimeTables, openBatch } from './checkpoints';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('checkpoints');
  await createRuntimeTables(db.pool, 'cp_model');
});

afterAll(async () => {
  await db.drop();
});

it('a batch that waited for the partition lock sees the versions its predecessor applied', async () => {
  const first = await db.pool.connect();
  const second = await db.pool.connect();
  try {
    await first.query('begin');
    expect(await openBatch(first, 'cp_model', 't', 0, ['s-1'])).toEqual({ stored: '0', versions: new Map() });
    await closeBatch(first, 'cp_model', new Map([['s-1', 3]]), {
      topic: 't',
      partition: 0,
      nextOffset: '3',
      lastRecordedAt: null,
    });

    await second.query('begin');
    // Its statement snapshot predates the first commit; it queues on the checkpoint row meanwhile.
    const waiting = openBatch(second, 'cp_model', 't', 0, ['s-1', 's-2']);
    await new Promise((r) => setTimeout(r, 200));
    await first.query('commit');

    expect(await waiting).toEqual({ stored: '3', versions: new Map([['s-1', 3]]) });
    await second.query('commit');
  } finally {
    first.release();
    second.release();
  }
});

it('opens a batch on a partition nobody wrote yet at offset 0, and reads stored versions', async () => {
  await db.pool.query(`insert into "cp_model"._stream_versions values ('s-9', 7)`);
  const tx = await db.pool.connect();
  try {
    await tx.query('begin');
    expect(await openBatch(tx, 'cp_model', 'other', 5, ['s-9', 's-10'])).toEqual({
      stored: '0',
      versions: new Map([['s-9', 7]]),
    });
    await tx.query('rollback');
  } finally {
    tx.release();
  }
});
