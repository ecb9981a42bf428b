import { createTestDatabase, planSteps, type TestDatabase } from '@nqpf/testing';
import { claimPassedDeadline, migrateReportDeadlines } from './report-deadlines.store';

/**
 * Every quarter's reports fall due on one day, and the timer claims passed deadlines one per transaction:
 * a claim that sorted every open passed deadline made a tick quadratic (17.8 ms a claim at 13 334 open,
 * docs/performance.md "Query plans at city scale"). The claim's order must come from an index.
 */
describe('the report-deadline claim at city scale', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('reporting_claim_plan');
    await migrateReportDeadlines(db.pool);
  });
  afterAll(() => db?.drop());

  it('reads the open deadlines in claim order from an index, sorting none', async () => {
    const [plan] = await planSteps(db.pool, { enable_seqscan: 'off', enable_sort: 'off' }, (tx) =>
      claimPassedDeadline(tx, '2026-11-28', ['c1 2026-Q3']),
    );
    expect(plan!.map((s) => s.nodeType)).not.toContain('Sort');
    expect(plan!.map((s) => s.nodeType)).not.toContain('Incremental Sort');
    expect(plan).toContainEqual(
      expect.objectContaining({ relation: 'report_deadlines', index: 'report_deadlines_claim' }),
    );
  });
});
