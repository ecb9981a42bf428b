import { migrate } from '@nqpf/event-store';
import { createTestDatabase, planSteps, type TestDatabase } from '@nqpf/testing';
import {
  assignmentsOfExpert,
  listCandidacyRows,
  migrateCandidacyRows,
  staleCandidacyStreams,
} from './candidacy-rows';

/**
 * At city scale (20 000 candidacies) the read model's statements must reach rows through an index: the
 * start-up check scanned the table once per stream (116 s), an expert's list every candidacy, the bureau's
 * page every row with a window count (docs/performance.md "Query plans at city scale"). With sequential
 * scans off, these ask whether an index *can* serve each statement.
 */
describe('the candidacy rows at city scale', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('review_rows_plan');
    await migrate(db.pool, 'event_store');
    await migrateCandidacyRows(db.pool);
  });
  afterAll(() => db?.drop());

  const noSeqScan = { enable_seqscan: 'off' };

  it("finds each stream's row by its key on start, not by scanning the rows once per stream", async () => {
    const [plan] = await planSteps(db.pool, noSeqScan, (tx) => staleCandidacyStreams(tx));
    expect(plan).toContainEqual(
      expect.objectContaining({ relation: 'candidacies', index: 'candidacies_pkey' }),
    );
  });

  it("finds an expert's candidacies through the index on experts (lists and conflict declarations)", async () => {
    const plans = await planSteps(db.pool, noSeqScan, async (tx) => {
      await listCandidacyRows(tx, { expertId: 'expert-a' }, {}, { limit: 50, offset: 0 });
      await assignmentsOfExpert(tx, 'expert-a');
    });
    const throughExperts = plans.map((plan) => plan.some((s) => s.index === 'candidacies_experts'));
    expect(throughExperts).toEqual([true, true]);
  });

  it("reads the bureau's page in order from an index, counting apart from it", async () => {
    const [plan] = await planSteps(db.pool, noSeqScan, (tx) =>
      listCandidacyRows(tx, 'all', {}, { limit: 50, offset: 0 }),
    );
    expect(plan).toContainEqual(
      expect.objectContaining({ relation: 'candidacies', index: 'candidacies_updated' }),
    );
    // Neither a window over every row nor a sort of them: the count is an aggregate of its own.
    expect(plan!.map((s) => s.nodeType)).not.toContain('WindowAgg');
    expect(plan!.map((s) => s.nodeType)).not.toContain('Sort');
  });
});
