import { ConflictException, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { lastValueFrom, from } from 'rxjs';
import type { Actor } from '@nqpf/contracts';
import { createTestDatabase, type TestDatabase } from '@nqpf/testing';
import { UnitOfWork } from '../unit-of-work';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency.store';

/** A POST as Express gives it to the interceptor, and the response status and headers it sets. */
function post(key: string, body: unknown, actor: Partial<Actor> | null) {
  const response = { statusCode: 0, headers: {} as Record<string, string> };
  const context = {
    getHandler: () => function handler() {},
    switchToHttp: () => ({
      getRequest: () => ({
        method: 'POST',
        originalUrl: '/accounts/c-1/disbursements',
        body,
        actor: actor ?? undefined,
        header: (name: string) => (name === 'idempotency-key' ? key : undefined),
      }),
      getResponse: () => ({
        status(code: number) {
          response.statusCode = code;
          return this;
        },
        setHeader(name: string, value: string) {
          response.headers[name.toLowerCase()] = value;
          return this;
        },
      }),
    }),
  } as unknown as ExecutionContext;
  return { context, response };
}

const handler = (work: () => Promise<unknown>): CallHandler => ({ handle: () => from(work()) });

describe('IdempotencyInterceptor on a real database', () => {
  let db: TestDatabase;
  let store: IdempotencyStore;
  let interceptor: IdempotencyInterceptor;

  beforeAll(async () => {
    db = await createTestDatabase('idempotency');
    store = new IdempotencyStore();
    await store.migrate(db.pool);
    interceptor = new IdempotencyInterceptor(db.pool, new UnitOfWork(db.pool), store);
  });
  afterAll(async () => db?.drop());

  /** As officer-1, or without a token (null). */
  const send = (
    key: string,
    body: unknown,
    work: () => Promise<unknown>,
    actor: Partial<Actor> | null = { id: 'officer-1', role: 'finance_officer' },
  ) => {
    const { context, response } = post(key, body, actor);
    return { answer: lastValueFrom(interceptor.intercept(context, handler(work))), response };
  };

  it('answers a retry with the first answer, without running the command again', async () => {
    let runs = 0;
    const work = async () => ({ entryId: `e-${++runs}` });
    expect(await send('k-1', { amountFen: '100' }, work).answer).toEqual({ entryId: 'e-1' });
    const retry = send('k-1', { amountFen: '100' }, work);
    expect(await retry.answer).toEqual({ entryId: 'e-1' });
    expect(retry.response.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it("answers a concurrent duplicate whose command failed because the first one had committed with the first one's answer", async () => {
    const body = { amountFen: '200' };
    const first = send('k-2', body, async () => ({ entryId: 'e-first' }));
    await first.answer;
    // The duplicate started before the first committed (it found no answer under the key), then ran into
    // the state the first one left: a version conflict. Simulated by checking the key before the commit.
    const find = jest.spyOn(store, 'find').mockResolvedValueOnce(undefined);
    try {
      const duplicate = send('k-2', body, async () => {
        throw new ConflictException('stream version 3 expected, found 4');
      });
      expect(await duplicate.answer).toEqual({ entryId: 'e-first' });
      expect(duplicate.response.headers['idempotent-replayed']).toBe('true');
    } finally {
      find.mockRestore();
    }
  });

  it('lets a failure through when no request under the key succeeded', async () => {
    const failing = send('k-3', { amountFen: '300' }, async () => {
      throw new ConflictException('stream version 1 expected, found 2');
    });
    await expect(failing.answer).rejects.toBeInstanceOf(ConflictException);
    const { rows } = await db.pool.query(`select 1 from idempotency.responses where key = 'k-3'`);
    expect(rows).toEqual([]);
  });

  it('migrates a new database from several replicas starting at once', async () => {
    const fresh = await createTestDatabase('idempotency_race');
    try {
      const migrations = Array.from({ length: 6 }, () => new IdempotencyStore().migrate(fresh.pool));
      expect((await Promise.allSettled(migrations)).filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  it('forgets answers past their retention, in batches, and keeps the newer ones', async () => {
    await db.pool.query(
      `insert into idempotency.responses (actor_id, key, request_hash, status, body, recorded_at)
       select 'officer-9', 'old-' || n, 'h', 201, '{}'::jsonb, now() - interval '8 days' from generate_series(1, 5) n
       union all select 'officer-9', 'new-1', 'h', 201, '{}'::jsonb, now() - interval '6 days'`,
    );
    expect(await store.prune(db.pool, 168, 2)).toBe(5);
    const { rows } = await db.pool.query(
      `select key from idempotency.responses where actor_id = 'officer-9'`,
    );
    expect(rows.map((r) => r.key)).toEqual(['new-1']);
    expect(await store.prune(db.pool, 168, 2)).toBe(0);
  });

  it("keeps anonymous callers' keys apart: the same key from two people runs both, a retry runs once", async () => {
    // Public routes (objections) have no actor: two people may well pick the same key, and neither may
    // get the other's answer (it names the objector) nor a refusal for the other's request.
    let runs = 0;
    const work = async () => ({ objectionId: `o-${++runs}` });
    const first = await send('1', { name: '张三' }, work, null).answer;
    const second = await send('1', { name: '李四' }, work, null).answer;
    expect([first, second]).toEqual([{ objectionId: 'o-1' }, { objectionId: 'o-2' }]);
    const retry = send('1', { name: '李四' }, work, null);
    expect(await retry.answer).toEqual({ objectionId: 'o-2' });
    expect(retry.response.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['blank', ' '],
    ['over 200 characters', 'k'.repeat(201)],
    ['not ASCII', '钥匙-1'],
  ])('refuses a key that is %s with 400 naming the header, running nothing', (_, key) => {
    let runs = 0;
    expect(() => send(key, { amountFen: '100' }, async () => ({ runs: ++runs }))).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'invalid_input',
        field: 'Idempotency-Key',
        message: expect.stringMatching(/^Idempotency-Key: /),
      }),
    );
    expect(runs).toBe(0);
  });

  it('refuses with 400, naming where, a body the validation pipe would refuse (hashed before it runs)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    for (const [body, field, message] of [
      [{ year: Infinity }, 'year', 'year: is not a finite number'],
      [{ items: [{ n: 1 }, { n: -Infinity }] }, 'items.1.n', 'items.1.n: is not a finite number'],
      [
        { extra: deep },
        `extra${'.0'.repeat(31)}`,
        `extra${'.0'.repeat(31)}: is nested more than 32 levels deep`,
      ],
      [{ name: 'x\u0000' }, 'name', 'name: contains a NUL character'],
    ] as const)
      expect(() => send('k-bad', body, async () => ({}))).toThrow(
        expect.objectContaining({ status: 400, code: 'invalid_input', field, message }),
      );
  });

  it('keeps a key per role the caller acts in: acting in another role, the same key is a new request', async () => {
    let runs = 0;
    const work = async () => ({ signedAs: ++runs });
    const bureau = { id: 'person-1', role: 'city_bureau' } as const;
    const office = { id: 'person-1', role: 'district_office', district: '南关区' } as const;
    expect(await send('sign-1', { reason: 'r' }, work, bureau).answer).toEqual({ signedAs: 1 });
    expect(await send('sign-1', { reason: 'r' }, work, office).answer).toEqual({ signedAs: 2 });
    expect(await send('sign-1', { reason: 'r' }, work, bureau).answer).toEqual({ signedAs: 1 });
  });

  it('answers a retry from a record the release before stored under the identity alone', async () => {
    let runs = 0;
    const work = async () => ({ entryId: `e-${++runs}` });
    const first = send('k-upgrade', { amountFen: '700' }, work);
    await first.answer;
    // As the release before stored it: keyed by the identity alone.
    await db.pool.query(`update idempotency.responses set actor_id = 'officer-1' where key = 'k-upgrade'`);
    const retry = send('k-upgrade', { amountFen: '700' }, work);
    expect(await retry.answer).toEqual({ entryId: 'e-1' });
    expect(retry.response.headers['idempotent-replayed']).toBe('true');
    expect(runs).toBe(1);
  });

  it('refuses a key used before for a different request (422)', async () => {
    await send('k-4', { amountFen: '400' }, async () => ({ entryId: 'e-4' })).answer;
    await expect(send('k-4', { amountFen: '401' }, async () => ({})).answer).rejects.toMatchObject({
      status: 422,
    });
  });
});
