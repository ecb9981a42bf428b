import type { NewEvent } from '@nqpf/contracts';
import { PostgresEventStore } from '@nqpf/event-store';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import * as assessment from '../../../apps/assessment/src/domain/center/center.spec-helper';
import * as account from '../../../apps/finance/src/domain/subsidy-account/testing/given';
import { replayStores } from './replay-stores';

jest.setTimeout(60000);

const CENTER = assessment.CENTER;
const meta = { actor: { id: 'system', role: 'system' as const }, correlationId: 'c-1', centerId: CENTER };
const asNew = (events: { type: string; payload: unknown }[]): NewEvent[] =>
  events.map((e) => ({ type: e.type, schemaVersion: 1, payload: e.payload }));

describe('replayStores holds decisions copied from another store to it, after every store is read', () => {
  let assessed: TestDatabase;
  let finance: TestDatabase;

  beforeAll(async () => {
    [assessed, finance] = await Promise.all([
      createTestDatabase('audit_cross_assessment'),
      createTestDatabase('audit_cross_finance'),
    ]);
    const [a, f] = [new PostgresEventStore(assessed.pool), new PostgresEventStore(finance.pool)];
    await Promise.all([a.migrate(), f.migrate()]);
    // Assessment graded 2026 良好; finance granted support year 2 on 优秀.
    const center = assessment.history(assessment.track('2026-03-10'), assessment.scored(2026, 40, 45));
    expect((center.at(-1)!.payload as { grade: string }).grade).toBe('良好');
    await a.append(`center-${CENTER}`, asNew(center), meta);
    const grants = account.history(
      { ...account.open(), centerId: CENTER },
      account.declare(account.yuan('1000000')),
      account.approve(account.yuan('1000000')),
      account.assessed(1, '优秀'),
    );
    await f.append(`subsidy-account-${CENTER}`, asNew(grants), meta);
  });

  afterAll(async () => Promise.all([assessed?.drop(), finance?.drop()]));

  it("counts the grant as finance's mismatch, and says first which checks lacked a store", async () => {
    const run = await replayStores([
      { name: 'assessment', url: assessed.url },
      { name: 'finance', url: finance.url },
    ]);
    const [, financeReport] = run.stores;
    expect(financeReport!.mismatches.map((m) => [m.eventType, m.rule, m.reason])).toEqual([
      [
        'finance.grant-decided',
        'subsidy-annual',
        expect.stringMatching(
          /`basis\.assessedYear`, or of an `assessment\.assessment-revised` correcting it \(recorded "良好", decided "优秀"\)$/,
        ),
      ],
    ]);
    expect([run.decisions, run.matches, run.mismatches]).toEqual([5, 4, 1]);
    // Review's store, which the tracked center's recognition date is held to, was not given.
    expect(run.warnings[0]).toBe(
      "cross-store checks NOT made for 1 decision (store review not read): tracked centers (assessment.center-tracked) against review's recognition dates (1)",
    );
  });

  it('makes no check against a store it could not read, and says so', async () => {
    const run = await replayStores([
      { name: 'assessment', url: `${assessed.url.replace(/\/[^/]*$/, '/no_such_database_here')}` },
      { name: 'finance', url: finance.url },
    ]);
    expect(run.stores[0]!.error).toBeDefined();
    expect(run.stores[1]!.mismatches).toEqual([]);
    expect(run.warnings[0]).toMatch(
      /^cross-store checks NOT made for 1 decision \(store assessment not read\): annual grants/,
    );
  });
});
