import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Registry } from 'prom-client';
import {
  BatchResult,
  checkpointAgeGauge,
  ConsumedRecord,
  ConsumerLog,
  ConsumerMetrics,
  consumerMetrics,
  initConsumerSeries,
  DeadLetterPublisher,
  guardPool,
  withDdlLock,
  nextOffset,
  PartitionBatch,
  PartitionBatchConsumer,
  type TopicDurability,
} from '@nqpf/messaging';
import { closeBatch, createRuntimeTables, openBatch, readCheckpoints } from './checkpoints';
import { freshEvents, ParsedRecords, parseRecords } from './parse-records';
import { assertProjectionName, Projector } from './projector';

export interface ProjectionRunnerOptions {
  kafka: Kafka;
  pool: Pool;
  projector: Projector;
  /** Consumer group; default `nqpf.projection.<name>`. Its dead-letter topic takes invalid events. */
  groupId?: string;
  registry?: Registry;
  log?: ConsumerLog;
  /** Replication of the dead-letter topic, created on first use; default the brokers'. */
  topicDurability?: TopicDurability;
  /**
   * Partition batches applied at once; default 4 (as a rebuild). Projectors lock their rows in key order,
   * and a stream lives in one partition, so concurrent batches only queue, never reorder a stream.
   */
  partitionsConsumedConcurrently?: number;
  /** How often the stored checkpoints are compared with where this runner is; default 5 000 ms. */
  resyncIntervalMs?: number;
}

/**
 * Keeps the live read model (schema = projector name) up to date. Each partition batch is one transaction
 * that applies the events and advances the checkpoint (topic, partition, next offset) together. The
 * database checkpoint is the truth: records below it are skipped, and a batch starting beyond it (the
 * Kafka offset ran ahead, e.g. after a rebuild swapped in a model that stopped earlier) makes the
 * partition seek back to it. Kafka offsets are committed too, but only for lag and a fast restart.
 * A partition that stays quiet after such a swap has no next batch: every resyncIntervalMs the runner
 * compares the stored checkpoints with where it is and seeks back what fell behind (the tail that arrived
 * during a rebuild, from this process, another replica or the CLI).
 */
export class ProjectionRunner {
  private readonly runner: PartitionBatchConsumer;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly metrics: ConsumerMetrics;
  private readonly groupId: string;
  private readonly age;
  private readonly ages = new Map<string, number>();
  private readonly log: ConsumerLog;
  /** Next offset after the last batch this runner applied, by topic:partition. */
  private readonly positions = new Map<string, string>();
  private resyncTimer?: NodeJS.Timeout;

  constructor(private readonly options: ProjectionRunnerOptions) {
    assertProjectionName(options.projector.name);
    const groupId = options.groupId ?? `nqpf.projection.${options.projector.name}`;
    this.log = options.log ?? (() => undefined);
    this.deadLetters = new DeadLetterPublisher(options.kafka, groupId, 1, options.topicDurability);
    this.age = checkpointAgeGauge(options.registry);
    this.metrics = consumerMetrics(options.registry);
    // At 0 from the start, so the first dead letter is an increase (NqpfDeadLettered), as for consumers.
    initConsumerSeries(this.metrics, groupId, options.projector.topics);
    this.groupId = groupId;
    this.runner = new PartitionBatchConsumer({
      kafka: options.kafka,
      groupId,
      topics: options.projector.topics,
      fromBeginning: true,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
      metrics: this.metrics,
      log: options.log,
      handleBatch: (batch) => this.handleBatch(batch),
      startOffsets: (partitions) => this.storedOffsets(partitions),
    });
  }

  async start(): Promise<void> {
    const { pool, projector } = this.options;
    guardPool(pool, this.log);
    await withDdlLock(pool, async (tx) => {
      await createRuntimeTables(tx, projector.name);
      await projector.createTables(tx, projector.name);
    });
    await this.deadLetters.prepare();
    await this.runner.start();
    this.resyncTimer = setInterval(
      () =>
        void this.resync().catch((err: Error) =>
          this.log('warn', 'checkpoint resync failed', { error: err.message }),
        ),
      this.options.resyncIntervalMs ?? 5000,
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    await this.runner.stop();
    await this.deadLetters.disconnect();
  }

  isHealthy(): boolean {
    return this.runner.isHealthy();
  }

  /**
   * The database checkpoints are the truth: each assigned partition starts at its stored next offset. Where
   * it starts counts as applied, so resync sees a rebuild swapped in behind a partition that then stays
   * quiet, also on a member that has not handled a batch of it yet (after a restart or a rebalance).
   */
  private async storedOffsets(partitions: { topic: string; partition: number }[]) {
    const stored = await readCheckpoints(this.options.pool, this.options.projector.name);
    const offsets = partitions.map(({ topic, partition }) => ({
      topic,
      partition,
      offset: stored.find((c) => c.topic === topic && c.partition === partition)?.nextOffset ?? '0',
    }));
    // Overwritten, not kept: a partition this runner held before may have moved on under another member.
    for (const { topic, partition, offset } of offsets) this.positions.set(`${topic}:${partition}`, offset);
    return offsets;
  }

  /** Seeks back each assigned partition whose stored checkpoint is behind what this runner applied. */
  private async resync(): Promise<void> {
    // Taken before the read: a batch committing meanwhile only moves the stored checkpoint further on.
    const applied = new Map(this.positions);
    const stored = await readCheckpoints(this.options.pool, this.options.projector.name);
    const assigned = this.runner.assignedPartitions();
    this.forgetAgesOutside(new Set(assigned.map(({ topic, partition }) => `${topic}:${partition}`)));
    for (const { topic, partition } of assigned) {
      const key = `${topic}:${partition}`;
      const at = applied.get(key);
      const checkpoint =
        stored.find((c) => c.topic === topic && c.partition === partition)?.nextOffset ?? '0';
      if (at === undefined || BigInt(checkpoint) >= BigInt(at)) continue;
      this.positions.delete(key);
      this.log('info', 'stored checkpoint behind this runner (a rebuild swapped in); seeking back', {
        key,
        checkpoint,
        at,
      });
      this.runner.seek(topic, partition, checkpoint);
    }
  }

  /**
   * One transaction, six round trips: begin, open (checkpoint lock and stream versions), the model's load
   * and save, close (versions and checkpoint), commit. Records are parsed before it starts.
   */
  private async handleBatch(batch: PartitionBatch): Promise<BatchResult> {
    const { pool, projector } = this.options;
    const schema = projector.name;
    const first = batch.records[0];
    const last = batch.records[batch.records.length - 1];
    if (!first || !last) return { commitUpTo: null };
    let parsed = this.parse(batch.records);
    const tx = await pool.connect();
    let broken: Error | undefined;
    try {
      // A read model is rebuildable and its checkpoint commits with it: a crash that loses the last commits
      // loses both, and the batch is applied again. So the batch need not wait for the WAL flush.
      await tx.query('begin; set local synchronous_commit = off');
      const streamIds = [...new Set(parsed.events.map((e) => e.streamId))];
      const { stored, versions } = await openBatch(tx, schema, batch.topic, batch.partition, streamIds);
      if (BigInt(batch.highWatermark) < BigInt(stored)) {
        // The partition holds fewer records than the model applied: the topic was replaced (a new cluster,
        // recreated) or lost its tail. Records below the checkpoint would be taken as applied and never be:
        // held here (NqpfConsumerFailing) until the model is rebuilt.
        throw new CheckpointBeyondTopicError(
          batch.topic,
          batch.partition,
          batch.highWatermark,
          schema,
          stored,
        );
      }
      if (BigInt(first.offset) > BigInt(stored)) {
        // A gap is real (retention) only when this partition was sought to exactly the stored checkpoint:
        // a seek to an older reading of it (a rebuild swapped in since) must go back, or the tail is lost.
        if (batch.soughtTo === null || BigInt(batch.soughtTo) !== BigInt(stored)) {
          await tx.query('rollback');
          return { seekTo: stored };
        }
        this.log('warn', 'offsets missing from the topic (retention?); continuing', {
          stored,
          first: first.offset,
        });
      }
      const commitUpTo = nextOffset(last.offset);
      if (BigInt(first.offset) < BigInt(stored)) {
        // Part of the batch was applied already (another member held the partition): keep the rest. Their
        // streams are a subset of those whose versions were read.
        const rest = batch.records.filter((r) => BigInt(r.offset) >= BigInt(stored));
        if (rest.length === 0) {
          await tx.query('rollback');
          return { commitUpTo };
        }
        parsed = this.parse(rest);
      }
      // A producer retry can deliver an event again at a new offset: its stream version gives it away.
      const fresh = freshEvents(parsed.events, versions);
      if (fresh.length > 0) await projector.apply(tx, schema, fresh);
      for (const r of parsed.rejected) {
        // Published before our commit: a crash here re-publishes, never loses.
        await this.deadLetters.publish(r.record, {
          reason: r.reason,
          error: r.error,
          attempts: 1,
          failedAt: new Date(),
        });
      }
      const applied = new Map(fresh.map((e) => [e.streamId, versions.get(e.streamId)!]));
      await closeBatch(tx, schema, applied, {
        topic: batch.topic,
        partition: batch.partition,
        nextOffset: commitUpTo,
        lastRecordedAt: parsed.lastRecordedAt,
      });
      await tx.query('commit');
      for (const r of parsed.rejected)
        this.metrics.deadLettered.inc({ group: this.groupId, topic: batch.topic, reason: r.reason });
      this.positions.set(`${batch.topic}:${batch.partition}`, commitUpTo);
      this.recordAge(batch, commitUpTo, parsed.lastRecordedAt);
      return { commitUpTo };
    } catch (err) {
      // The connection is sound when the refusal is the model's own.
      if (!(err instanceof CheckpointBeyondTopicError)) broken = err as Error;
      await tx.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      tx.release(broken);
    }
  }

  private parse(records: ConsumedRecord[]): ParsedRecords {
    const { projector } = this.options;
    return parseRecords(records, {
      validate: projector.validate,
      handles: projector.documents.reducer.handles,
    });
  }

  /** Checkpoint age: how old the last applied event is while the partition still lags; 0 once caught up. */
  private recordAge(batch: PartitionBatch, committed: string, lastRecordedAt: string | null): void {
    const key = `${batch.topic}:${batch.partition}`;
    const lagging = BigInt(batch.highWatermark) > BigInt(committed);
    const seconds =
      lagging && lastRecordedAt ? Math.max(0, (Date.now() - Date.parse(lastRecordedAt)) / 1000) : 0;
    this.ages.set(key, seconds);
    this.publishAge();
  }

  /** A partition given to another replica is that replica's to age: a stale value would alert for ever. */
  private forgetAgesOutside(assigned: Set<string>): void {
    let changed = false;
    for (const key of this.ages.keys()) if (!assigned.has(key)) changed = this.ages.delete(key) || changed;
    if (changed) this.publishAge();
  }

  private publishAge(): void {
    this.age.set({ projection: this.options.projector.name }, Math.max(0, ...this.ages.values()));
  }
}

/** A partition shorter than what the model applied from it: replaced or truncated, so the model is rebuilt. */
export class CheckpointBeyondTopicError extends Error {
  constructor(topic: string, partition: number, highWatermark: string, model: string, stored: string) {
    super(
      `${topic} partition ${partition} ends at offset ${highWatermark} but ${model} applied it up to ${stored}: ` +
        'the topic was replaced or truncated; rebuild the read model (nqpf rebuild, docs/operations.md)',
    );
  }
}
