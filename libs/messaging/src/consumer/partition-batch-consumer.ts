import { Consumer, Kafka } from 'kafkajs';
import { ConsumedRecord, toConsumedRecord } from './consumed-record';
import { sleepWhile } from './backoff';
import type { ConsumerMetrics } from './metrics';

export type ConsumerLog = (level: 'info' | 'warn' | 'error', message: string, fields?: object) => void;

export interface PartitionBatch {
  topic: string;
  partition: number;
  highWatermark: string;
  records: ConsumedRecord[];
  /**
   * For the first batch after a seek this consumer asked for, the offset it sought; otherwise null. Records
   * starting past the offset sought were not in the topic any more (retention).
   */
  soughtTo: string | null;
  /**
   * Tells the group this member is alive (kafkajs sends it at most once per heartbeat interval). Never
   * throws: a rebalance under way or a member dropped from the group ends the batch (isRunning() false).
   */
  heartbeat(): Promise<void>;
  /**
   * The records below `nextOffset` are done (their effects committed): committed to Kafka with the next
   * background commit, so a crash in a long batch redelivers only what followed them. Also heartbeats.
   */
  handled(nextOffset: string): Promise<void>;
  /**
   * False once stop() was called, the partition was taken away or the member's group membership was lost:
   * finish the current record and return.
   */
  isRunning(): boolean;
}

/**
 * What the handler did with a batch: the next offset to commit (last handled + 1; null when nothing was
 * handled), or a request to seek the partition (offsets kept in our own database are the truth).
 */
export type BatchResult = { commitUpTo: string | null } | { seekTo: string };

export interface PartitionBatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handleBatch(batch: PartitionBatch): Promise<BatchResult>;
  /**
   * For offsets kept outside Kafka: called after each group join with the partitions this member now owns;
   * each returned offset is sought to before (or, racing a fetch, soon after) the first batch.
   */
  startOffsets?(
    partitions: { topic: string; partition: number }[],
  ): Promise<{ topic: string; partition: number; offset: string }[]>;
  /** Where a group with no committed offset starts; true (the earliest record) unless told otherwise. */
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  sessionTimeoutMs?: number;
  metrics?: ConsumerMetrics;
  log?: ConsumerLog;
  /**
   * Handled offsets are committed to Kafka at most this often (and on stop); default 1000 ms. Effects are
   * deduplicated downstream (inbox, checkpoints), so a crash or rebalance only redelivers a little more;
   * an OffsetCommit per batch cost every consumer group a broker round trip per event at low batch sizes.
   */
  commitIntervalMs?: number;
}

type PartitionOffset = { topic: string; partition: number; offset: string };

/** Heartbeat errors that end this member's batches: a rebalance under way, or the member no longer in the group. */
const MEMBERSHIP_LOST = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
]);
const membershipLost = (err: unknown): boolean =>
  MEMBERSHIP_LOST.has((err as { type?: unknown } | null)?.type as string);

const noLog: ConsumerLog = () => undefined;

/**
 * The one place that drives a kafkajs consumer group: eachBatch with autoCommit off, offsets resolved and
 * committed (in the background, at most once per commitIntervalMs) only for what the handler reports as
 * done, so a crash at any point redelivers rather than loses. A handler error never escapes to kafkajs
 * (which would restart the whole group member); the batch is simply fetched again after a pause. A crash
 * kafkajs will not restart itself is restarted here.
 */
export class PartitionBatchConsumer {
  private consumer?: Consumer;
  private running = false;
  private crashed = false;
  private failing = false;
  private restartTimer?: NodeJS.Timeout;
  /** Seeks asked for and not yet followed by a batch: topic:partition → offset sought. */
  private readonly seeks = new Map<string, string>();
  /** Handled but not yet committed, by topic:partition. */
  private readonly uncommitted = new Map<string, PartitionOffset>();
  /** topic:partition this member was given at its last join: only those are its to commit. */
  private assigned = new Set<string>();
  private commitTimer?: NodeJS.Timeout;
  private lastCommitAt = 0;
  /** The batches being handled: stop() lets them end and commit before the member leaves. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log: ConsumerLog;

  constructor(private readonly options: PartitionBatchConsumerOptions) {
    this.log = options.log ?? noLog;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.run();
  }

  private async run(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 20 },
    });
    this.consumer = consumer;
    // A commit pending for the member this one replaces would go through the old, dead consumer.
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    // A restarted member commits only what it handles itself (a stale offset could move the group back).
    this.uncommitted.clear();
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.crashed = false;
      // Seeks asked for before this join went to the member it replaces (kafkajs restarts its group on a
      // crash): a batch now comes from the committed offset, and a stale entry would claim it was sought.
      this.seeks.clear();
      const before = this.assigned;
      this.assigned = new Set(
        Object.entries(event.payload.memberAssignment).flatMap(([topic, ps]) =>
          ps.map((p) => `${topic}:${p}`),
        ),
      );
      // Lag of a partition now another member's is that member's to report: a stale value here would
      // add to the group's sum for ever (NqpfConsumerLag).
      for (const key of before) {
        if (this.assigned.has(key)) continue;
        const at = key.lastIndexOf(':');
        this.options.metrics?.lag.remove({
          group: groupId,
          topic: key.slice(0, at),
          partition: key.slice(at + 1),
        });
      }
      if (this.options.startOffsets) void this.seekToStartOffsets(consumer, event.payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.crashed = true;
      this.seeks.clear();
      this.log('error', 'consumer crashed', { groupId, error: event.payload.error.message });
      if (!event.payload.restart && this.running) this.scheduleRestart();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: ({ batch, resolveOffset, heartbeat, isRunning, isStale }) =>
        this.tracked(async () => {
          const key = `${batch.topic}:${batch.partition}`;
          // Fetched before a pending seek: drop it, the sought records come next.
          if (isStale()) return;
          const soughtTo = this.seeks.get(key) ?? null;
          this.seeks.delete(key);
          const records = batch.messages.map((m) => toConsumedRecord(batch.topic, batch.partition, m));
          let lost = false;
          // kafkajs heartbeats only between batches: a batch longer than the session timeout would have the
          // group drop this member mid-batch (its commits refused, the rest redelivered to another).
          const alive = async () => {
            try {
              await heartbeat();
            } catch (err) {
              // Ending the batch lets kafkajs rejoin at once; waiting on would hold every member of the
              // group until the rebalance timeout, then work the partition beside its new owner.
              if (membershipLost(err)) lost = true;
            }
          };
          const handled = async (nextOffset: string) => {
            resolveOffset((BigInt(nextOffset) - 1n).toString());
            this.uncommitted.set(key, { topic: batch.topic, partition: batch.partition, offset: nextOffset });
            await this.commitSoon(consumer);
            if (this.running) await alive();
          };
          let result: BatchResult;
          try {
            result = await this.options.handleBatch({
              topic: batch.topic,
              partition: batch.partition,
              highWatermark: batch.highWatermark,
              records,
              soughtTo,
              heartbeat: alive,
              handled,
              isRunning: () => this.running && isRunning() && !isStale() && !lost,
            });
            this.failing = false;
          } catch (err) {
            // Nothing resolved: the same records come again on the next fetch. Counted as a failed attempt
            // (NqpfConsumerFailing): a projection's batch failing for good holds its partition.
            this.failing = true;
            this.options.metrics?.failedAttempts.inc({ group: groupId, topic: batch.topic });
            this.log('error', 'batch handler failed; retrying', { key, error: (err as Error).message });
            await sleepWhile(1000, () => this.running && isRunning());
            return;
          }
          if ('seekTo' in result) {
            this.seeks.set(key, result.seekTo);
            consumer.seek({ topic: batch.topic, partition: batch.partition, offset: result.seekTo });
            return;
          }
          if (result.commitUpTo === null) return;
          await handled(result.commitUpTo);
          this.options.metrics?.lag.set(
            { group: groupId, topic: batch.topic, partition: String(batch.partition) },
            Number(BigInt(batch.highWatermark) - BigInt(result.commitUpTo)),
          );
        }),
    });
    // Stopped while this member was joining: it leaves, rather than hold partitions it will not handle.
    if (!this.running) await consumer.disconnect();
  }

  private tracked(handle: () => Promise<void>): Promise<void> {
    const done = handle();
    this.inFlight.add(done);
    done.then(
      () => this.inFlight.delete(done),
      () => this.inFlight.delete(done),
    );
    return done;
  }

  /** Commits now when the interval has passed or the member is stopping; otherwise once it passes. */
  private async commitSoon(consumer: Consumer): Promise<void> {
    const interval = this.options.commitIntervalMs ?? 1000;
    if (!this.running || Date.now() - this.lastCommitAt >= interval) return this.commitNow(consumer);
    this.commitTimer ??= setTimeout(() => void this.commitNow(consumer), interval);
  }

  private async commitNow(consumer: Consumer): Promise<void> {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    // A partition given to another member since is that member's to commit (ours could move it back).
    const offsets = [...this.uncommitted].filter(([key]) => this.assigned.has(key));
    this.uncommitted.clear();
    if (offsets.length === 0) return;
    this.lastCommitAt = Date.now();
    try {
      await consumer.commitOffsets(offsets.map(([, offset]) => offset));
    } catch (err) {
      // Typically a rebalance: a new owner redelivers from the last commit (the inbox or checkpoint makes
      // that harmless). A partition still ours is committed at the next try: on a quiet partition nothing
      // else would, and whoever waits for the group's offsets (the policy copy's readiness) would wait on.
      this.log('warn', 'offset commit failed', { error: (err as Error).message });
      // A member replaced meanwhile (restart) leaves its offsets: the new one commits only its own.
      if (!this.running || consumer !== this.consumer) return;
      for (const [key, offset] of offsets) if (!this.uncommitted.has(key)) this.uncommitted.set(key, offset);
      this.commitTimer ??= setTimeout(() => void this.commitNow(this.consumer!), 1000);
    }
  }

  private async seekToStartOffsets(consumer: Consumer, assignment: Record<string, number[]>): Promise<void> {
    const partitions = Object.entries(assignment).flatMap(([topic, ps]) =>
      ps.map((partition) => ({ topic, partition })),
    );
    try {
      const offsets = await this.options.startOffsets!(partitions);
      if (consumer !== this.consumer) return; // replaced meanwhile: the new member seeks on its own join
      for (const { topic, partition, offset } of offsets) {
        this.seeks.set(`${topic}:${partition}`, offset);
        consumer.seek({ topic, partition, offset });
      }
    } catch (err) {
      // Not fatal: the handler's own check against stored offsets asks for the seek on the first batch.
      this.log('warn', 'could not seek to stored offsets', { error: (err as Error).message });
    }
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.running) return;
      this.consumer
        ?.disconnect()
        .catch(() => undefined)
        // stop() may have come during the disconnect: no new member then.
        .then(() => (this.running ? this.run() : undefined))
        .catch((err: Error) => {
          this.log('error', 'consumer restart failed', { error: err.message });
          this.scheduleRestart();
        });
    }, 2000);
  }

  /** The partitions this member was given at its last join. */
  assignedPartitions(): { topic: string; partition: number }[] {
    return [...this.assigned].map((key) => {
      const at = key.lastIndexOf(':');
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
    });
  }

  /** Moves an assigned partition to `offset`: its next batch starts there (a batch in flight goes stale). */
  seek(topic: string, partition: number, offset: string): void {
    if (!this.consumer || !this.assigned.has(`${topic}:${partition}`)) return;
    this.seeks.set(`${topic}:${partition}`, offset);
    this.consumer.seek({ topic, partition, offset });
  }

  /** Graceful: the batches in hand finish their current record and commit, then the member leaves. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restartTimer);
    // Before disconnect: once its runner stops, kafkajs drops commits without a word. A batch in hand
    // ends at its next record (not running) and commits what it handled (not running: no waiting).
    await Promise.allSettled([...this.inFlight]);
    if (this.consumer) await this.commitNow(this.consumer);
    await this.consumer?.disconnect();
  }

  isHealthy(): boolean {
    return this.running && !this.crashed && !this.failing;
  }
}
