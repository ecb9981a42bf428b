import { NotReadyYet } from '@nqpf/messaging';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { migrateAssessmentTables, reportComplianceOf } from './assessment.store';

/** A17.1's report compliance from assessment's copy of reporting's periods (assessment.report_periods). */
describe('report compliance of a year', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('compliance');
    await migrateAssessmentTables(db.pool);
  });
  afterAll(() => db?.drop());

  let n = 0;
  /** A center recognised on 2026-03-10 whose copy holds these periods ([period, dueOn, filedOn?]). */
  async function center(periods: [string, string, string?][], revokedOn?: string) {
    const centerId = `c${++n}`;
    for (const [period, dueOn, filedOn] of periods)
      await db.pool.query(
        `insert into assessment.report_periods (center_id, period, year, due_on, filed_on, late)
         values ($1, $2, $3, $4, $5, $6)`,
        [
          centerId,
          period,
          Number(period.slice(0, 4)),
          dueOn,
          filedOn ?? null,
          filedOn ? filedOn > dueOn : null,
        ],
      );
    const revocation = revokedOn ? { revokedOn, ruleId: 'A17.3a' as const, reason: 'x' as never } : null;
    return { centerId, recognizedOn: '2026-03-10', revocation };
  }
  const year2027: [string, string][] = [
    ['2027-Q1', '2027-04-15'],
    ['2027-Q2', '2027-07-15'],
    ['2027-Q3', '2027-10-15'],
    ['2027-Q4', '2028-01-15'],
    ['2027', '2028-01-31'],
  ];

  it("needs no period of the next year to count this one's (the timer not yet past 2027's annual deadline)", async () => {
    const c = await center(year2027);
    expect(await reportComplianceOf(db.pool, c, 2027, '2028-02-01')).toEqual({
      due: 5,
      filedOnTime: 0,
      filedLate: 0,
      missing: 5,
    });
  });

  it('waits while a quarter of the year has no row, even with a later one filed early', async () => {
    const c = await center([
      ['2027-Q1', '2027-04-15'],
      ['2027-Q2', '2027-07-15'],
      ['2027-Q4', '2028-01-15', '2028-01-10'],
      ['2027', '2028-01-31'],
    ]);
    const asked = reportComplianceOf(db.pool, c, 2027, '2028-01-12');
    await expect(asked).rejects.toBeInstanceOf(NotReadyYet);
    await expect(asked).rejects.toThrow('report 2027-Q3');
  });

  it('waits while the latest period before the year’s last has its deadline passed', async () => {
    const c = await center(year2027.filter(([p]) => p !== '2027-Q4'));
    await expect(reportComplianceOf(db.pool, c, 2027, '2028-02-01')).rejects.toThrow(
      'report 2027-Q3 (due 2027-10-15)',
    );
  });

  it('counts a revoked center’s reports due before the revocation only', async () => {
    // Revoked 2027-08-01: 2027-Q2 was scheduled before it, due 07-15; Q3 and the annual never fall due.
    const c = await center(
      [
        ['2027-Q1', '2027-04-15', '2027-04-10'],
        ['2027-Q2', '2027-07-15'],
        ['2027-Q3', '2027-10-15'],
        ['2027', '2028-01-31'],
      ],
      '2027-08-01',
    );
    expect(await reportComplianceOf(db.pool, c, 2027, '2028-03-01')).toEqual({
      due: 2,
      filedOnTime: 1,
      filedLate: 0,
      missing: 1,
    });
  });
});
