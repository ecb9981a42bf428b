import { UnknownEventTypeError, UnknownSchemaVersionError } from '@nqpf/domain';
import type { TestDatabase } from '@nqpf/testing';
import { AggregateRepository } from './decider';
import { account } from './decider.fixture';
import { ConcurrencyConflictError } from './errors';
import type { PostgresEventStore } from './postgres-event-store';
import { createTestStore, operator } from './test-fixtures';

const who = { actor: operator, correlationId: 'corr' };

describe('AggregateRepository', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    ({ db, store } = await createTestStore());
  });
  afterAll(() => db.drop());

  it('loads, decides and appends with the loaded version as the expected one', async () => {
    const repo = new AggregateRepository(store, account);
    await repo.handle('acct-1', { kind: 'open', centerId: 'c1' }, who);
    const result = await repo.handle('acct-1', { kind: 'grant', amountFen: 700 }, who);
    expect(result).toMatchObject({ state: { open: true, balanceFen: 700 }, version: 2 });
    expect(result.events.map((e) => e.type)).toEqual(['GrantRecorded']);
    expect(await repo.load('acct-1')).toEqual({ state: { open: true, balanceFen: 700 }, version: 2 });
  });

  it('appends nothing when the decision yields no events', async () => {
    const repo = new AggregateRepository(store, account);
    await repo.handle('acct-2', { kind: 'open', centerId: 'c2' }, who);
    const again = await repo.handle('acct-2', { kind: 'open', centerId: 'c2' }, who);
    expect(again).toMatchObject({ events: [], version: 1 });
  });

  it('passes a concurrency conflict through unchanged', async () => {
    const repo = new AggregateRepository(store, account);
    await repo.handle('acct-3', { kind: 'open', centerId: 'c3' }, who);
    const error = await repo
      .handle('acct-3', { kind: 'grant', amountFen: 1 }, { ...who, expectedVersion: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(error).toMatchObject({ streamId: 'acct-3', expected: 0, actual: 1 });
  });

  it('lets only one of two parallel commands on the same loaded version win', async () => {
    const repo = new AggregateRepository(store, account);
    await repo.handle('acct-4', { kind: 'open', centerId: 'c4' }, who);
    const outcomes = await Promise.allSettled([
      repo.handle('acct-4', { kind: 'grant', amountFen: 1 }, { ...who, expectedVersion: 1 }),
      repo.handle('acct-4', { kind: 'grant', amountFen: 2 }, { ...who, expectedVersion: 1 }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await repo.load('acct-4')).version).toBe(2);
  });

  it('loads from the latest snapshot plus the tail', async () => {
    const policy = { aggregateType: 'account', stateVersion: 1, every: 3 };
    const repo = new AggregateRepository(store, account, policy);
    await repo.handle('acct-5', { kind: 'open', centerId: 'c5' }, who);
    for (let i = 1; i <= 4; i++) await repo.handle('acct-5', { kind: 'grant', amountFen: i }, who);
    expect(await store.loadSnapshot('acct-5', 'account', 1)).toMatchObject({
      streamVersion: 3,
      state: { open: true, balanceFen: 3 },
    });
    // A snapshot is trusted: a state that differs from the events proves the tail alone was replayed.
    await store.saveSnapshot({
      ...policy,
      streamId: 'acct-5',
      streamVersion: 3,
      state: { open: true, balanceFen: 1000 },
    });
    expect(await repo.load('acct-5')).toEqual({ state: { open: true, balanceFen: 1007 }, version: 5 });
  });

  it('takes a snapshot when a load folds a long tail (a new state version), so the next load does not', async () => {
    const plain = new AggregateRepository(store, account);
    await plain.handle('acct-7', { kind: 'open', centerId: 'c7' }, who);
    for (let i = 1; i <= 4; i++) await plain.handle('acct-7', { kind: 'grant', amountFen: i }, who);
    const policy = { aggregateType: 'account', stateVersion: 2, every: 3 };
    expect(await store.loadSnapshot('acct-7', 'account', 2)).toBeUndefined();
    const loaded = await new AggregateRepository(store, account, policy).load('acct-7');
    expect(loaded).toEqual({ state: { open: true, balanceFen: 10 }, version: 5 });
    expect(await store.loadSnapshot('acct-7', 'account', 2)).toMatchObject({
      streamVersion: 5,
      state: loaded.state,
    });
  });

  it('takes no snapshot of a stale state appended with expectedVersion any', async () => {
    const policy = { aggregateType: 'account', stateVersion: 1, every: 3 };
    const repo = new AggregateRepository(store, account, policy);
    await repo.handle('acct-6', { kind: 'open', centerId: 'c6' }, who);
    const stale = await repo.load('acct-6');
    await repo.handle('acct-6', { kind: 'grant', amountFen: 100 }, who);
    await repo.handle(
      'acct-6',
      { kind: 'grant', amountFen: 5 },
      { ...who, expectedVersion: 'any' },
      undefined,
      stale,
    );
    expect(await repo.load('acct-6')).toEqual({ state: { open: true, balanceFen: 105 }, version: 3 });
  });

  it("refuses a stream holding a type the decider does not know (a newer release's), naming stream, version and type, and appends nothing", async () => {
    const policy = { aggregateType: 'account', stateVersion: 3, every: 2 };
    const repo = new AggregateRepository(store, account, policy);
    await repo.handle('acct-8', { kind: 'open', centerId: 'c8' }, who);
    await store.append('acct-8', [{ type: 'AccountFrozen', schemaVersion: 1, payload: {} }], who);
    const refused = (run: () => Promise<unknown>) =>
      run().then(
        () => undefined,
        (e: unknown) => e,
      );
    for (const error of [
      await refused(() => repo.load('acct-8')),
      await refused(() => repo.handle('acct-8', { kind: 'grant', amountFen: 1 }, who)),
    ]) {
      expect(error).toBeInstanceOf(UnknownEventTypeError);
      expect(error).toMatchObject({ streamId: 'acct-8', version: 2, eventType: 'AccountFrozen' });
    }
    expect(await store.readStream('acct-8')).toHaveLength(2);
    // Nor is a state folded past it kept as a snapshot.
    expect(await store.loadSnapshot('acct-8', 'account', 3)).toBeUndefined();
  });

  it("refuses alike a stream holding a schema version of a known type the decider does not know (a newer release's breaking change), naming it", async () => {
    const policy = { aggregateType: 'account', stateVersion: 4, every: 2 };
    const repo = new AggregateRepository(store, account, policy);
    await repo.handle('acct-9', { kind: 'open', centerId: 'c9' }, who);
    await store.append(
      'acct-9',
      [{ type: 'GrantRecorded', schemaVersion: 99, payload: { amount: { fen: 700 } } }],
      who,
    );
    const error = await repo.load('acct-9').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnknownSchemaVersionError);
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({
      streamId: 'acct-9',
      version: 2,
      eventType: 'GrantRecorded',
      schemaVersion: 99,
    });
    expect(await store.loadSnapshot('acct-9', 'account', 4)).toBeUndefined();
  });
});
