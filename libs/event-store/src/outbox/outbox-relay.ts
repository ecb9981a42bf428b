import type { Pool } from 'pg';
import { toWire, withSeal, type EventPublisher } from '@nqpf/messaging';
import { EVENT_COLUMNS, toEnvelope, type EventRow } from '../event-row';
import { outboxChannel, validateSchemaName } from '../schema/schema-name';
import type { SealKeys } from '../seal';
import { RelayLease } from './relay-lease';
import { requireSealed } from './relay-seal-check';

export interface OutboxRelayOptions {
  pool: Pool;
  publisher: EventPublisher;
  /** The store's schema; default 'event_store'. */
  schema?: string;
  /** Rows per publish; default 500. */
  batchSize?: number;
  /** Fallback poll when no notification arrives; default 500 ms. */
  pollIntervalMs?: number;
  /** How often a relay without the lease tries to take it; default 1000 ms. */
  leaseRetryMs?: number;
  /** Backoff after a failure, doubling from initialMs to maxMs; default 100 ms … 5 s. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * A publish Kafka has not acknowledged by then is a failure (the client retries some errors for ever);
   * default 5 000 ms. Rows are marked only after an acknowledgement, so a late one only duplicates.
   */
  publishTimeoutMs?: number;
  /**
   * How long the lease's session may sit without a query before PostgreSQL ends it, freeing the lease:
   * a relay gone without closing its connection (its node lost, a network partition) would otherwise hold
   * it until TCP gives up (15 min to 2 h) and no replica would publish. Default 60 000 ms; at least twice
   * the longest pause between the relay's queries (publish timeout + the longer of backoff and poll).
   */
  leaseIdleTimeoutMs?: number;
  /**
   * The key id of the service's own seal key: of an event's seals, the relay publishes that one (a seal
   * row someone added beside it must not be what the Kafka copy carries, which a refill checks).
   */
  sealKeyId?: string;
  /**
   * The keys whose seals vouch for what the relay publishes (the service's own, and those its events may
   * still carry after a key change): with them, an event outside every such seal, or whose chain is broken,
   * stops the relay before it is published (requireSealed). Without them (development) nothing is checked.
   */
  sealKeys?: SealKeys;
  /**
   * The topics the store's events go to (a service: its own). An outbox row naming another stops the relay
   * before anything is published: the row's topic is in the database, outside the event's hash and seal, so
   * whoever could write there could otherwise send a sealed event to another service's consumers.
   */
  topics?: readonly string[];
  onError?: (err: unknown) => void;
  /** Metrics hook: called after each acknowledged and marked batch. */
  onPublished?: (count: number) => void;
}

/** An outbox row naming a topic the store's events do not go to: the relay publishes nothing until it is looked into. */
export class MisdirectedEventError extends Error {
  override readonly name = 'MisdirectedEventError';
  constructor(row: EventRow & { topic: string }, topics: readonly string[]) {
    super(
      `not publishing event ${row.event_id} (stream ${row.stream_id} version ${row.stream_version}): its outbox ` +
        `row names topic ${row.topic}, not ${topics.join(' or ')} — the relay stops here until it is investigated ` +
        '(docs/operations.md, "A relay stopped at an unsealed event")',
    );
  }
}

/** The advisory lock a running relay holds on its store: one relay per store, and no refill under it. */
export const relayLeaseName = (schema: string): string => `nqpf-outbox-relay:${schema}`;

type OutboxRow = EventRow & { topic: string; seal_key_id: string | null; seal_signature: string | null };

/**
 * Why position order and no `transaction_id < xmin` hold-back (unlike readAll, which resumes from a cursor):
 * the relay keeps no cursor, it marks rows, so a late commit is published late but never skipped. And every
 * committed row is published as soon as it is visible: an event that depends on another (the next version of
 * a stream, or a command that read the other's effect) took its position from the sequence after that one
 * committed, so it is visible only when the other is, and sorts after it. Only concurrent, hence independent,
 * transactions can come out in either order. The hold-back made every relay wait for the oldest open
 * transaction in the whole PostgreSQL cluster (seconds, when another database replays a projection) and
 * could even reverse a stream: a transaction that wrote first (an inbox row) has the smaller xid.
 *
 * Publishes the store's outbox in order through the EventPublisher port and marks rows published
 * only after Kafka acknowledged them: at-least-once, in order per key. Only the holder of the lease
 * publishes; other instances wait and take over when it dies.
 */
export class OutboxRelay {
  private readonly schema: string;
  private readonly lease: RelayLease;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private notified = false;
  private failures = 0;
  /** Consecutive failures after which the lease is handed over: another replica may reach Kafka. */
  private static readonly HAND_OVER_AFTER = 3;

  constructor(private readonly options: OutboxRelayOptions) {
    this.schema = validateSchemaName(options.schema ?? 'event_store');
    const idleTimeoutMs = options.leaseIdleTimeoutMs ?? 60_000;
    // The longest the lease's session waits between two queries: a publish that times out, then a backoff
    // (or a poll).
    const longestPause =
      (options.publishTimeoutMs ?? 5000) +
      Math.max(options.pollIntervalMs ?? 500, options.backoff?.maxMs ?? 5000);
    if (idleTimeoutMs < 2 * longestPause)
      throw new Error(
        `leaseIdleTimeoutMs ${idleTimeoutMs} must be at least twice the relay's longest pause (${longestPause} ms)`,
      );
    this.lease = new RelayLease(
      options.pool,
      relayLeaseName(this.schema),
      outboxChannel(this.schema),
      () => this.notify(),
      idleTimeoutMs,
    );
  }

  get holdsLease(): boolean {
    return this.lease.held;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
    this.lease.release();
  }

  /** Metrics: rows written but not yet acknowledged by Kafka. */
  async backlog(): Promise<number> {
    const result = await this.options.pool.query<{ n: string }>(
      `select count(*) as n from ${this.schema}.outbox where published_at is null`,
    );
    return Number(result.rows[0]!.n);
  }

  /** Metrics: seconds since the oldest event not yet acknowledged by Kafka was recorded; 0 when none. */
  async oldestUnpublishedSeconds(): Promise<number> {
    const result = await this.options.pool.query<{ age: string }>(
      `select coalesce(extract(epoch from now() - min(e.recorded_at)), 0) as age
         from ${this.schema}.outbox o join ${this.schema}.events e using (position)
        where o.published_at is null`,
    );
    return Math.max(0, Number(result.rows[0]!.age));
  }

  /** Publishes one batch if this instance holds the lease; returns how many rows it published. */
  async publishOnce(): Promise<number> {
    if (!(await this.lease.tryAcquire())) return 0;
    const db = this.lease.connection;
    const { rows } = await db.query<OutboxRow>(
      `select ${EVENT_COLUMNS}, o.topic, s.key_id as seal_key_id, s.signature as seal_signature
         from ${this.schema}.outbox o join ${this.schema}.events e using (position)
         left join lateral (select key_id, signature from ${this.schema}.event_seals
                             where position = e.position order by key_id = $2 desc, key_id limit 1) s on true
        where o.published_at is null
        order by o.position
        limit $1`,
      [this.options.batchSize ?? 500, this.options.sealKeyId ?? null],
    );
    if (rows.length === 0) return 0;
    const { topics } = this.options;
    const misdirected = topics && rows.find((r) => !topics.includes(r.topic));
    if (misdirected) throw new MisdirectedEventError(misdirected, topics);
    // Checked, each copy carries the seal that vouched for it; unchecked (development), the service's own.
    const checkedSeals =
      this.options.sealKeys && (await requireSealed(db, this.schema, this.options.sealKeys, rows));
    const sealOf = (r: OutboxRow) =>
      checkedSeals
        ? checkedSeals.get(r.position)
        : r.seal_key_id
          ? { keyId: r.seal_key_id, signature: r.seal_signature! }
          : undefined;
    for (const run of runsByTopic(rows)) {
      await within(
        this.options.publishTimeoutMs ?? 5000,
        this.options.publisher.publish(
          run.topic,
          run.rows.map((r) => withSeal(toWire(toEnvelope(r)), sealOf(r))),
        ),
      );
    }
    await db.query(
      `update ${this.schema}.outbox set published_at = now() where position = any($1::bigint[])`,
      [rows.map((r) => r.position)],
    );
    this.options.onPublished?.(rows.length);
    return rows.length;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        const published = await this.publishOnce();
        this.failures = 0;
        // A short batch took every row committed before its select; later commits notify (or the poll finds them).
        if (published < (this.options.batchSize ?? 500)) {
          await this.sleep(
            this.lease.held ? (this.options.pollIntervalMs ?? 500) : (this.options.leaseRetryMs ?? 1000),
          );
        }
      } catch (err) {
        this.options.onError?.(err);
        this.failures += 1;
        const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 5000 };
        let pause = Math.min(maxMs, initialMs * 2 ** (this.failures - 1));
        if (!this.lease.held)
          this.lease.release(); // the session is gone: give its connection back
        else if (this.failures % OutboxRelay.HAND_OVER_AFTER === 0) {
          // One that keeps failing to publish: hand the lease over, and stay off it past the others' next
          // try (every leaseRetryMs), so a replica that can reach Kafka takes it.
          this.lease.release();
          pause = Math.max(pause, 2 * (this.options.leaseRetryMs ?? 1000));
        }
        await this.sleep(pause, false);
      }
    }
  }

  private notify(): void {
    this.notified = true;
    if (this.wakeOnNotify) this.wake?.();
  }

  private wakeOnNotify = true;

  /**
   * Sleeps until the timeout or stop(); when `wakeOnNotify`, also until a NOTIFY from an append (even
   * one that came while publishing). Backoff after a failure ignores notifications.
   */
  private sleep(ms: number, wakeOnNotify = true): Promise<void> {
    if (this.stopping || (wakeOnNotify && this.notified)) {
      this.notified = false;
      return Promise.resolve();
    }
    this.wakeOnNotify = wakeOnNotify;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.notified = false;
        resolve();
      };
    });
  }
}

/** `work`, or an error once `ms` have passed (the work goes on unobserved). */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`publish did not complete within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Consecutive rows for one topic, keeping the overall order. */
function runsByTopic(rows: OutboxRow[]): { topic: string; rows: OutboxRow[] }[] {
  const runs: { topic: string; rows: OutboxRow[] }[] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last.topic === row.topic) last.rows.push(row);
    else runs.push({ topic: row.topic, rows: [row] });
  }
  return runs;
}
