import type { Pool, PoolClient } from 'pg';
import { knownEventsOf, knowsEvent, type EventEnvelope, type KnownEvents } from '@nqpf/contracts';
import { UnknownEventTypeError, UnknownSchemaVersionError } from '@nqpf/domain';
import { runDdl } from './inbox';
import { passesByItself } from './not-ready';

interface Queryable {
  query<R = unknown>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Events a consumer read before the event that caused them, which comes on another topic (reporting's
 * operation start before review's recognition): topics are read in no fixed order. Waiting in the handler
 * would stall the consumer's fetches (it handles one batch at a time) and dead-lettering would lose the
 * fact, so the handler parks the event here, in its inbox transaction, and the handler of the cause takes
 * the parked events back and applies them in arrival order, in its own transaction.
 */
export class ParkedEvents {
  private readonly table: string;
  private readonly known: KnownEvents;

  /**
   * `contracts`: the `validate` of the consumer that parks (an envelope is checked when it is consumed,
   * and a newer replica may have parked one this replica's contracts do not know).
   */
  constructor(
    private readonly schema: string,
    contracts: Readonly<Record<string, unknown>>,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`schema: not a safe name: "${schema}"`);
    this.table = `"${schema}".parked_events`;
    this.known = knownEventsOf(contracts);
  }

  /**
   * Gauge `parked_events{schema}`, read at each scrape (libs/platform's registerSqlGauge, which leaves no
   * sample while the database cannot tell): events waiting for their cause. A count that stays above zero
   * means a cause never came (a recognition lost upstream); the rows' keys name the centers.
   */
  gauge(db: Queryable): {
    name: string;
    help: string;
    labels: { schema: string };
    read: () => Promise<number>;
  } {
    return {
      name: 'parked_events',
      help: 'events read before the event that causes them, waiting for it',
      labels: { schema: this.schema },
      read: async () =>
        (await db.query<{ n: number }>(`select count(*)::int as n from ${this.table}`)).rows[0]!.n,
    };
  }

  /** Under the shared DDL lock, like the service's other start-up migrations. */
  async migrate(pool: Pool): Promise<void> {
    await runDdl(
      pool,
      `create schema if not exists "${this.schema}";
       create table if not exists ${this.table} (seq bigserial primary key, key text not null, event jsonb not null);
       -- Built once, where missing: even "if not exists" takes a share lock on the table, behind every inbox
       -- transaction in flight that parks or takes, and holding the next ones.
       do $$ begin
         if to_regclass('"${this.schema}".parked_events_key') is null then
           create index parked_events_key on ${this.table} (key);
         end if; end $$`,
    );
  }

  async park(tx: Queryable, key: string, event: EventEnvelope): Promise<void> {
    await tx.query(`insert into ${this.table} (key, event) values ($1, $2)`, [key, JSON.stringify(event)]);
  }

  /**
   * The parked events of `key` in arrival order, removed in the caller's transaction. One of a type or a
   * schema version this replica does not know (a newer replica parked it: a rolling update, a rollback) is
   * never read as another: UnknownEventTypeError or UnknownSchemaVersionError, which pass by themselves, so
   * the caller's transaction fails whole and the key waits for a newer replica, as a decider's load does.
   */
  async take(tx: Queryable, key: string): Promise<EventEnvelope[]> {
    const { rows } = await tx.query<{ event: EventEnvelope }>(
      `with taken as (delete from ${this.table} where key = $1 returning seq, event)
       select event from taken order by seq`,
      [key],
    );
    const events = rows.map((r) => r.event);
    for (const e of events) {
      const knowledge = knowsEvent(this.known, e.type, e.schemaVersion);
      if (knowledge === 'unknown-type') throw new UnknownEventTypeError(e.streamId, e.streamVersion, e.type);
      if (knowledge === 'unknown-version')
        throw new UnknownSchemaVersionError(e.streamId, e.streamVersion, e.type, e.schemaVersion);
    }
    return events;
  }

  /**
   * Takes the parked events of `key` back and applies each under a savepoint, in the cause's transaction:
   * one that fails is undone alone and parked again (`failed` says why; the gauge keeps counting it), so a
   * bad parked event cannot sink the event that caused it. What passes by itself (passesByItself) fails the
   * whole transaction instead, which the consumer then tries again, parked events and all.
   */
  async takeBack(
    tx: Queryable,
    key: string,
    apply: (event: EventEnvelope) => Promise<void>,
    failed: (event: EventEnvelope, err: Error) => void,
  ): Promise<void> {
    for (const event of await this.take(tx, key)) {
      await tx.query('savepoint parked_event');
      try {
        await apply(event);
        await tx.query('release savepoint parked_event');
      } catch (err) {
        if (passesByItself(err as Error)) throw err;
        await tx.query('rollback to savepoint parked_event');
        await this.park(tx, key, event);
        failed(event, err as Error);
      }
    }
  }

  /**
   * Takes back every key's parked events, each key in a transaction of its own under `lock`, and applies
   * them with the handler that parked them: one whose cause has come is applied (or, failing, stays parked
   * as in takeBack), one still without its cause is parked again by that handler. Run at start, so that a
   * parked event that failed once its cause came is tried again after the fix is deployed. Returns the keys
   * whose transaction failed as a whole (their events stay parked as they were), a key holding an event
   * this replica does not know among them.
   */
  async retryAll(
    pool: Pool,
    lock: (tx: PoolClient, key: string) => Promise<void>,
    apply: (event: EventEnvelope, tx: PoolClient) => Promise<void>,
    failed: (event: EventEnvelope, err: Error) => void,
  ): Promise<{ key: string; error: Error }[]> {
    const unretried: { key: string; error: Error }[] = [];
    const { rows } = await pool.query<{ key: string }>(
      `select key from ${this.table} group by key order by min(seq)`,
    );
    for (const { key } of rows) {
      // What passes by itself (the policy copy still catching up at start, a deadlock) is waited out per
      // key; anything else is the caller's to hear of, and the next keys still get their turn. An event
      // this replica does not know waits for a newer replica, not for time: the key is left to it at once.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.retryKey(pool, key, lock, apply, failed);
          break;
        } catch (err) {
          if (!passesByItself(err as Error) || err instanceof UnknownEventTypeError || attempt >= 30) {
            unretried.push({ key, error: err as Error });
            break;
          }
          await new Promise((r) => setTimeout(r, Math.min(1000 * attempt, 5000)));
        }
      }
    }
    return unretried;
  }

  private async retryKey(
    pool: Pool,
    key: string,
    lock: (tx: PoolClient, key: string) => Promise<void>,
    apply: (event: EventEnvelope, tx: PoolClient) => Promise<void>,
    failed: (event: EventEnvelope, err: Error) => void,
  ): Promise<void> {
    const tx = await pool.connect();
    let broken: Error | undefined;
    try {
      await tx.query('begin');
      await lock(tx, key);
      await this.takeBack(tx, key, (event) => apply(event, tx), failed);
      await tx.query('commit');
    } catch (err) {
      await tx.query('rollback').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      tx.release(broken);
    }
  }

  async count(db: Queryable, key: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from ${this.table} where key = $1`,
      [key],
    );
    return rows[0]!.n;
  }
}

/**
 * At start, beside the consumer rather than before it (the key lock keeps them apart): `retry` (a
 * ParkedEvents.retryAll) in the background, logging each key it could not try again.
 */
export function retryParkedInBackground(
  retry: () => Promise<{ key: string; error: Error }[]>,
  log: (message: string) => void,
): void {
  void retry().then(
    (unretried) =>
      unretried.forEach(({ key, error }) => log(`parked events of ${key} not tried again: ${error.message}`)),
    (err: Error) => log(`parked events: ${err.message}`),
  );
}
