import { migrate } from '@nqpf/event-store';
import { createTestDatabase, planSteps, type TestDatabase } from '@nqpf/testing';
import { listApplicationRows, migrateApplicationRows, staleApplicationStreams } from './application-rows';

/**
 * At city scale (20 000 applications) the read model's statements must reach rows through an index: the
 * start-up check scanned the table once per stream (29 s), the bureau's page sorted every row with a window
 * count (docs/performance.md "Query plans at city scale"). With sequential scans off, these ask whether an
 * index *can* serve each statement.
 */
describe('the application rows at city scale', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('intake_rows_plan');
    await migrate(db.pool, 'event_store');
    await migrateApplicationRows(db.pool);
  });
  afterAll(() => db?.drop());

  const noSeqScan = { enable_seqscan: 'off' };

  it("finds each stream's row by its key on start, not by scanning the rows once per stream", async () => {
    const [plan] = await planSteps(db.pool, noSeqScan, (tx) => staleApplicationStreams(tx));
    expect(plan).toContainEqual(
      expect.objectContaining({ relation: 'applications', index: 'applications_pkey' }),
    );
  });

  it("reads the bureau's page in order from an index, counting apart from it", async () => {
    const [plan] = await planSteps(db.pool, noSeqScan, (tx) =>
      listApplicationRows(tx, 'all', {}, { limit: 50, offset: 0 }),
    );
    expect(plan).toContainEqual(
      expect.objectContaining({ relation: 'applications', index: 'applications_updated' }),
    );
    // Neither a window over every row nor a sort of them: the count is an aggregate of its own.
    expect(plan!.map((s) => s.nodeType)).not.toContain('WindowAgg');
    expect(plan!.map((s) => s.nodeType)).not.toContain('Sort');
  });
});
