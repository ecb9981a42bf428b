import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { PoolClient } from 'pg';
import { IllegalTransitionError } from '@nqpf/domain';
import { NotReadyYet } from '@nqpf/messaging';
import { createTestDatabase, TestDatabase } from '@nqpf/testing';
import { Clock, ManualClock } from './clock';
import { deadlineRetryDelayMs, StoredDeadlineTimer } from './deadline-timer';
import { MetricsRegistry } from './metrics';
import { PG_POOL } from './tokens';
import { UnitOfWork } from './unit-of-work';

const START = new Date('2027-03-01T00:00:00Z');

/** A timer over its own table, as the services' are: the first passed deadline, `skip locked`. */
@Injectable()
class TestTimer extends StoredDeadlineTimer<string> {
  /** Deadline ids whose firing throws a plain Error (an outage, a bug), and ones the aggregate refuses. */
  readonly failing = new Set<string>();
  readonly refused = new Set<string>();
  readonly notReady = new Set<string>();
  readonly fired: string[] = [];
  /** How long each firing takes (a backlog of slow commands). */
  firingMs = 0;

  constructor(uow: UnitOfWork, clock: Clock) {
    super(uow, clock);
  }

  protected intervalMs(): number {
    return 0;
  }

  protected async claim(
    tx: PoolClient,
    now: Date,
    excluding: readonly string[],
  ): Promise<string | undefined> {
    const { rows } = await tx.query<{ id: string }>(
      `select id from timer_test.deadlines where done_at is null and due <= $1 and id <> all($2::text[])
        order by due, id limit 1 for update skip locked`,
      [now, excluding],
    );
    return rows[0]?.id;
  }

  protected async fire(tx: PoolClient, id: string): Promise<void> {
    if (this.firingMs > 0) await new Promise((resolve) => setTimeout(resolve, this.firingMs));
    await tx.query(`update timer_test.deadlines set effect = 'fired' where id = $1`, [id]);
    if (this.failing.has(id)) throw new Error(`${id}: the command path is down`);
    if (this.refused.has(id)) throw new IllegalTransitionError('moved on', 'fire');
    if (this.notReady.has(id)) throw new NotReadyYet('the policy copy is catching up');
    this.fired.push(id);
  }

  protected async markDone(tx: PoolClient, id: string, now: Date): Promise<void> {
    await tx.query(`update timer_test.deadlines set done_at = $2 where id = $1`, [id, now]);
  }

  protected describe(id: string): string {
    return `test deadline ${id}`;
  }
}

describe('stored deadline timer: a failing deadline does not stop the later ones', () => {
  let db: TestDatabase;
  let timer: TestTimer;
  let metrics: MetricsRegistry;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    db = await createTestDatabase('deadline_timer');
    await db.pool.query(`create schema timer_test;
      create table timer_test.deadlines (id text primary key, due timestamptz not null, done_at timestamptz,
        effect text)`);
    const module = await Test.createTestingModule({
      providers: [
        TestTimer,
        UnitOfWork,
        MetricsRegistry,
        { provide: PG_POOL, useValue: db.pool },
        { provide: Clock, useValue: clock },
      ],
    }).compile();
    module.useLogger(false); // the failures it logs are the point of the test
    await module.init();
    timer = module.get(TestTimer);
    metrics = module.get(MetricsRegistry);
  });

  afterAll(async () => db?.drop());

  beforeEach(async () => {
    clock.set(START);
    timer.failing.clear();
    timer.refused.clear();
    timer.notReady.clear();
    timer.fired.length = 0;
    await db.pool.query('truncate timer_test.deadlines');
    await db.pool.query('truncate deadline_retries.retries');
  });

  const due = async (...ids: string[]) => {
    for (const [i, id] of ids.entries())
      await db.pool.query(`insert into timer_test.deadlines (id, due) values ($1, $2)`, [
        id,
        new Date(START.getTime() - (ids.length - i) * 60_000),
      ]);
  };
  const rows = async () =>
    (
      await db.pool.query<{ id: string; done: boolean; effect: string | null }>(
        `select id, done_at is not null as done, effect from timer_test.deadlines order by due`,
      )
    ).rows;
  const retries = async () =>
    (
      await db.pool.query<{ deadline: string; attempts: number; next_attempt_at: Date; last_error: string }>(
        `select deadline, attempts, next_attempt_at, last_error from deadline_retries.retries where timer = 'TestTimer'`,
      )
    ).rows;
  const metric = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.timer === 'TestTimer')
      ?.value;

  it('fires the later deadlines on the same tick and retries the failing one after its backoff', async () => {
    await due('first', 'second', 'third');
    timer.failing.add('first');

    expect(await timer.tick()).toBe(2);
    expect(timer.fired).toEqual(['second', 'third']);
    // The failed firing's writes are undone; the deadline stays pending with its attempt recorded.
    expect(await rows()).toEqual([
      { id: 'first', done: false, effect: null },
      { id: 'second', done: true, effect: 'fired' },
      { id: 'third', done: true, effect: 'fired' },
    ]);
    expect(await retries()).toEqual([
      {
        deadline: 'first',
        attempts: 1,
        next_attempt_at: new Date(START.getTime() + deadlineRetryDelayMs(1)),
        last_error: 'first: the command path is down',
      },
    ]);
    expect(await metric('deadline_fire_failures_total')).toBe(1);

    // Within its backoff it is passed over, and a deadline passed since still fires.
    await db.pool.query(`insert into timer_test.deadlines (id, due) values ('fourth', $1)`, [START]);
    clock.advance(deadlineRetryDelayMs(1) - 1000);
    expect(await timer.tick()).toBe(1);
    expect(timer.fired).toEqual(['second', 'third', 'fourth']);
    expect(await metric('deadlines_in_backoff')).toBe(1);

    // Failing again, it waits longer.
    clock.advance(1000);
    expect(await timer.tick()).toBe(0);
    expect((await retries())[0]).toMatchObject({
      attempts: 2,
      next_attempt_at: new Date(clock.now().getTime() + deadlineRetryDelayMs(2)),
    });
    expect(await metric('deadline_fire_failures_total')).toBe(2);

    // Once the cause is gone, the next attempt fires it and forgets the retry.
    timer.failing.clear();
    clock.advance(deadlineRetryDelayMs(2));
    expect(await timer.tick()).toBe(1);
    expect(timer.fired).toEqual(['second', 'third', 'fourth', 'first']);
    expect((await rows()).every((r) => r.done)).toBe(true);
    expect(await retries()).toEqual([]);
    expect(await metric('deadlines_in_backoff')).toBe(0);
  });

  it('still marks a deadline the aggregate refuses (a DomainError) done without a retry', async () => {
    await due('refused', 'next');
    timer.refused.add('refused');
    expect(await timer.tick()).toBe(2);
    expect(await rows()).toEqual([
      { id: 'refused', done: true, effect: null },
      { id: 'next', done: true, effect: 'fired' },
    ]);
    expect(await retries()).toEqual([]);
  });

  it('tries a deadline that is not ready yet again at the next tick, with no backoff recorded', async () => {
    await due('waiting', 'next');
    timer.notReady.add('waiting');
    expect(await timer.tick()).toBe(1);
    expect(await retries()).toEqual([]);
    timer.notReady.clear();
    expect(await timer.tick()).toBe(1);
    expect(timer.fired).toEqual(['next', 'waiting']);
  });

  it('passes over any number of failing deadlines in one tick, firing the ones after them', async () => {
    const broken = Array.from({ length: 12 }, (_, i) => `broken-${String(i).padStart(2, '0')}`);
    await due(...broken, 'later');
    broken.forEach((id) => timer.failing.add(id));
    expect(await timer.tick()).toBe(1);
    expect(timer.fired).toEqual(['later']);
    expect((await retries()).map((r) => r.attempts)).toEqual(broken.map(() => 1));
    expect(await metric('deadlines_in_backoff')).toBe(12);
  });

  it('keeps to a backoff another replica recorded while this tick was under way', async () => {
    await due('slow', 'failed-elsewhere');
    timer.firingMs = 200;
    const ticking = timer.tick();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Meanwhile another replica's tick failed 'failed-elsewhere' and put it back for a retry.
    await db.pool.query(
      `insert into deadline_retries.retries (timer, deadline, attempts, next_attempt_at, last_error)
       values ('TestTimer', 'failed-elsewhere', 1, $1, 'down')`,
      [new Date(START.getTime() + 60_000)],
    );
    expect(await ticking).toBe(1);
    timer.firingMs = 0;
    expect(timer.fired).toEqual(['slow']);
    expect((await retries()).map((r) => r.attempts)).toEqual([1]);
  });

  // Last: it stops the timer (and starts it again).
  it('stops a tick at shutdown after the firing in hand, leaving the rest of a backlog to the next replica', async () => {
    const backlog = Array.from({ length: 20 }, (_, i) => `backlog-${String(i).padStart(2, '0')}`);
    await due(...backlog);
    timer.firingMs = 100;
    const ticking = timer.tick();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const started = Date.now();
    await timer.onApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(500);
    const fired = await ticking;
    expect(fired).toBeGreaterThanOrEqual(1);
    expect(fired).toBeLessThan(backlog.length);
    expect((await rows()).filter((r) => r.done)).toHaveLength(fired);
    expect(await timer.tick()).toBe(0);
    // Started again (the same instance, as a module re-initialised in one process): it fires the rest.
    timer.firingMs = 0;
    await timer.onApplicationBootstrap();
    expect(await timer.tick()).toBe(backlog.length - fired);
  });
});
