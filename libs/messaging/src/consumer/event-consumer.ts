import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Registry } from 'prom-client';
import { knownEventsOf, knowsEvent, type EventEnvelope, type KnownEvents } from '@nqpf/contracts';
import type { TopicDurability } from '../kafka';
import { EVENT_TYPE_HEADER, fromWire } from '../wire';
import { BackoffPolicy, DEFAULT_BACKOFF, backoffDelay, sleepWhile } from './backoff';
import { ConsumedRecord, headerText, nextOffset } from './consumed-record';
import { DeadLetterPublisher, DeadLetterReason } from './dead-letter';
import { Inbox, inboxTableName } from './inbox';
import { isLostDatabaseConnection } from './lost-connection';
import { passesByItself } from './not-ready';
import { ConsumerMetrics, consumerMetrics, initConsumerSeries } from './metrics';
import { ConsumerLog, PartitionBatch, PartitionBatchConsumer } from './partition-batch-consumer';
import { checkEvent, EventValidator, notKnown } from './validation';

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** The consumer's own database; the inbox lives there, next to the handler's effects. */
  pool: Pool;
  /**
   * Runs inside the transaction that also records the event id; throw to roll both back. With
   * `idempotent`, runs on a connection without a transaction instead.
   */
  handle(event: EventEnvelope, tx: PoolClient): Promise<void>;
  /**
   * The handler's writes are idempotent by themselves (keyed by the event id) and safe to repeat after any
   * statement: no inbox row and no transaction, so a one-statement handler costs one round trip. A redelivery
   * runs it again. A lost database connection is retried like any outage, not counted as an attempt.
   */
  idempotent?: boolean;
  /** Contract per event type; events from other services are untrusted input. */
  validate?: Record<string, EventValidator>;
  /**
   * The event types `handle` acts on. A record of another type that `validate` knows is passed over without
   * a transaction (nothing to apply, so nothing to deduplicate); one of a type `validate` does not know (a
   * newer producer's, a renamed one) is dead-lettered as `unknown-type`, to be redelivered once this
   * consumer knows it, never dropped unseen — as is one of a type it acts on at a schema version `validate`
   * does not describe (a newer producer's breaking change). Default: every record is handled.
   */
  eventTypes?: readonly string[];
  /**
   * `handle` reads every event by its shape, not by a contract (the audit trail): one of a schema version
   * `validate` does not describe is handed to it unvalidated, as one of a type `validate` does not name,
   * instead of dead-lettered (checkEvent `byShape`); the versions `validate` describes are still checked.
   */
  readsByShape?: boolean;
  /** Handler attempts before the record goes to the dead-letter topic; default 5. */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Schema for the inbox table; default "messaging". */
  inboxSchema?: string;
  registry?: Registry;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** How long the group waits for a silent member before reassigning its partitions; default 30 s. */
  sessionTimeoutMs?: number;
  log?: ConsumerLog;
  /** Replication of the dead-letter topic, created on first use; default the brokers'. */
  topicDurability?: TopicDurability;
  /** Test seam: runs after the database commit and before the offset commit. */
  afterTransaction?(event: EventEnvelope): Promise<void>;
}

class Stopped extends Error {}

/** An idle client's error (database restart) is an 'error' event; unheard, it would kill the process. */
export function guardPool(pool: Pool, log: ConsumerLog): void {
  if (pool.listenerCount('error') > 0) return;
  pool.on('error', (err) => log('error', 'idle database connection failed', { error: err.message }));
}

/**
 * Consumes domain events with effectively-once effects: the event id goes into the inbox in the same
 * transaction as the handler's writes, and the offset is committed only after that transaction.
 * Failures are retried with backoff; after maxAttempts, and at once for unparseable or invalid records,
 * the record goes to the group's dead-letter topic and the partition moves on. What passes by itself
 * (passesByItself: NotReadyYet, a concurrency conflict) is waited out without counting attempts.
 */
export class EventConsumer {
  private readonly inbox: Inbox;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: ConsumerMetrics;
  private readonly backoff: BackoffPolicy;
  private readonly maxAttempts: number;
  private readonly runner: PartitionBatchConsumer;
  private readonly log: ConsumerLog;
  private infraFailing = false;
  private readonly eventTypes?: ReadonlySet<string>;
  /** What the contracts in `validate` know (libs/contracts knowsEvent); undefined without it. */
  private readonly known?: KnownEvents;

  constructor(private readonly options: EventConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1)
      throw new Error(`maxAttempts: must be an integer ≥ 1, got ${options.maxAttempts}`);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    if (options.eventTypes) this.eventTypes = new Set(options.eventTypes);
    if (options.validate) this.known = knownEventsOf(options.validate);
    this.inbox = new Inbox(options.inboxSchema ?? 'messaging', inboxTableName(options.groupId));
    this.deadLetters = new DeadLetterPublisher(options.kafka, options.groupId, 1, options.topicDurability);
    this.metrics = consumerMetrics(options.registry);
    // At 0 from the start, so Prometheus sees the first dead letter as an increase (NqpfDeadLettered).
    initConsumerSeries(this.metrics, options.groupId, options.topics);
    this.log = options.log ?? (() => undefined);
    this.runner = new PartitionBatchConsumer({
      kafka: options.kafka,
      groupId: options.groupId,
      topics: options.topics,
      fromBeginning: options.fromBeginning,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      sessionTimeoutMs: options.sessionTimeoutMs,
      metrics: this.metrics,
      log: options.log,
      handleBatch: (batch) => this.handleBatch(batch),
    });
  }

  get deadLetterTopic(): string {
    return this.deadLetters.topic;
  }

  async start(): Promise<void> {
    guardPool(this.options.pool, this.log);
    if (!this.options.idempotent)
      await this.inbox.ensure(this.options.pool, this.options.inboxSchema ?? 'messaging');
    await this.deadLetters.prepare();
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.deadLetters.disconnect();
  }

  isHealthy(): boolean {
    return this.runner.isHealthy() && !this.infraFailing;
  }

  private async handleBatch(batch: PartitionBatch): Promise<{ commitUpTo: string | null }> {
    let commitUpTo: string | null = null;
    for (const record of batch.records) {
      if (!batch.isRunning()) break;
      try {
        await this.handleRecord(record, batch);
      } catch (err) {
        if (err instanceof Stopped) break;
        throw err;
      }
      commitUpTo = nextOffset(record.offset);
      await batch.handled(commitUpTo);
    }
    return { commitUpTo };
  }

  private async handleRecord(record: ConsumedRecord, batch: PartitionBatch): Promise<void> {
    // The type header spares parsing the records of other types; a record without one is sorted once parsed.
    const header = headerText(record, EVENT_TYPE_HEADER);
    if (header !== undefined && this.triage(header) === 'pass') return;
    let event: EventEnvelope;
    try {
      event = fromWire(record.value);
    } catch (err) {
      return this.deadLetter(record, batch, 'unparseable', (err as Error).message, 1);
    }
    const triage = this.triage(event.type);
    if (triage === 'unknown')
      return this.deadLetter(
        record,
        batch,
        'unknown-type',
        notKnown('unknown-type', event.type, event.schemaVersion, 'consumer'),
        1,
      );
    if (triage === 'pass') return;
    // Invalid, or (as an unknown type) a schema version of the type that no contract here describes.
    const refused = checkEvent(event, this.options.validate, 'consumer', this.options.readsByShape);
    if (refused) return this.deadLetter(record, batch, refused.reason, refused.error, 1);

    for (let attempt = 1, waits = 0; ; attempt++) {
      const outcome = await this.infra(batch, () => this.applyOnce(event, record));
      if (outcome === 'handled' || outcome === 'duplicate') {
        const labels = { group: this.options.groupId, topic: record.topic };
        (outcome === 'handled' ? this.metrics.handled : this.metrics.duplicates).inc(labels);
        if (this.options.afterTransaction) await this.options.afterTransaction(event);
        return;
      }
      if (passesByItself(outcome.error)) {
        // Wait (the partition holds, in order) and try again, not as an attempt.
        this.metrics.waits.inc({ group: this.options.groupId, topic: record.topic });
        if (waits++ === 0) this.log('warn', 'waiting', { eventId: event.id, reason: outcome.error.message });
        attempt--;
        await this.pause(batch, backoffDelay(this.backoff, Math.min(waits, 30)));
        continue;
      }
      this.metrics.failedAttempts.inc({ group: this.options.groupId, topic: record.topic });
      this.log('warn', 'handler failed', { eventId: event.id, attempt, error: outcome.error.message });
      if (attempt >= this.maxAttempts) {
        return this.deadLetter(record, batch, 'handler-failed', outcome.error.message, attempt);
      }
      await this.pause(batch, backoffDelay(this.backoff, attempt));
    }
  }

  /** `handle` acts on the type; or it is a known type it passes over; or one no contract here knows. */
  private triage(type: string): 'handle' | 'pass' | 'unknown' {
    if (!this.eventTypes || this.eventTypes.has(type)) return 'handle';
    return this.known && knowsEvent(this.known, type) === 'unknown-type' ? 'unknown' : 'pass';
  }

  /**
   * One transaction: claim the id in the inbox, run the handler. Infrastructure errors (connect, begin,
   * commit) are thrown; handler errors are returned, because only they count as attempts.
   */
  private async applyOnce(
    event: EventEnvelope,
    record: ConsumedRecord,
  ): Promise<'handled' | 'duplicate' | { error: Error }> {
    if (this.options.idempotent) return this.applyIdempotent(event);
    const tx = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await tx.query('begin');
      const fresh = await this.inbox.claim(tx, event.id, event.type, record);
      if (!fresh) {
        await tx.query('commit');
        return 'duplicate';
      }
      try {
        await this.options.handle(event, tx);
      } catch (err) {
        await tx.query('rollback');
        return { error: err instanceof Error ? err : new Error(String(err)) };
      }
      await tx.query('commit');
      return 'handled';
    } catch (err) {
      broken = err as Error;
      await tx.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      tx.release(broken);
    }
  }

  private async applyIdempotent(event: EventEnvelope): Promise<'handled' | { error: Error }> {
    const db = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await this.options.handle(event, db);
      return 'handled';
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!isLostDatabaseConnection(error)) return { error };
      broken = error;
      throw error;
    } finally {
      db.release(broken);
    }
  }

  private async deadLetter(
    record: ConsumedRecord,
    batch: PartitionBatch,
    reason: DeadLetterReason,
    error: string,
    attempts: number,
  ): Promise<void> {
    await this.infra(batch, () =>
      this.deadLetters.publish(record, { reason, error, attempts, failedAt: new Date() }),
    );
    this.metrics.deadLettered.inc({ group: this.options.groupId, topic: record.topic, reason });
    this.log('warn', 'record dead-lettered', { topic: record.topic, offset: record.offset, reason, error });
  }

  /** Retries infrastructure failures (database or Kafka down) until they pass or the consumer stops. */
  private async infra<T>(batch: PartitionBatch, action: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await action();
        this.infraFailing = false;
        return result;
      } catch (err) {
        this.infraFailing = true;
        // A wait for what passes by itself (NqpfConsumerWaiting): the lag gauge moves only after a batch.
        this.metrics.waits.inc({ group: this.options.groupId, topic: batch.topic });
        this.log('error', 'infrastructure failure; retrying', { error: (err as Error).message });
        await this.pause(batch, backoffDelay(this.backoff, Math.min(attempt, 30)));
      }
    }
  }

  private async pause(batch: PartitionBatch, ms: number): Promise<void> {
    await sleepWhile(ms, batch.isRunning);
    if (!batch.isRunning()) throw new Stopped();
    // A rebalance (a replica joined or left) ends the batch: the waiting record goes to the partition's
    // next owner.
    await batch.heartbeat();
    if (!batch.isRunning()) throw new Stopped();
  }
}
