import { Partitioners, type Admin, type Kafka, type PartitionMetadata } from 'kafkajs';
import { NotReadyYet } from '@nqpf/messaging';
import { Clock } from './clock';
import { withTimeout } from './health';

export interface TopicReadMarkOptions {
  /** The topic a service keeps a copy of (another service's events). */
  topic: string;
  /** The consumer group that feeds the copy; it commits only what it has stored. */
  groupId: string;
  /** What the copy is, for NotReadyYet's message (e.g. "the copy of finance's policy book"). */
  copy: string;
}

/**
 * How far a service's copy of another service's topic reaches, as a moment: the copy holds every record
 * the topic held at a moment once the copy's group has committed past the topic's end offsets taken then.
 * A decision that reads the copy waits (up to waitMs) for the moment it needs, and meanwhile throws
 * NotReadyYet (a consumer retries, a command answers 503) rather than deciding on what is not there yet.
 */
/** The topic's end offsets, and the clock time they were taken at (the moment they vouch for). */
interface Target {
  at: number;
  highs: { partition: number; high: string; low: string }[];
}

export class TopicReadMark {
  /** Clock time (ms) by which the copy had read every record the topic held then. */
  private readAt = -Infinity;
  /** The end offsets the waits for a moment share, until the group has committed past them. */
  private shared?: Promise<Target>;
  private admin?: Promise<Admin>;
  private closed = false;
  /** How long a decision waits for the copy before giving up with NotReadyYet. */
  waitMs = 3000;

  constructor(
    private readonly kafka: Kafka,
    private readonly clock: Clock,
    private readonly options: TopicReadMarkOptions,
  ) {}

  /**
   * Waits until the copy holds every record the topic held at `instant`. `fresh`: as the topic stands at
   * this call, whatever the clock says (a test's clock stands still). `key`: only that key's records (its
   * partition, as the producers' default partitioner puts it), so a record held up elsewhere does not hold
   * every reader; implies fresh. A fresh wait takes end offsets of its own: shared, each later call would
   * move them on, and on a busy topic the group, committing once a second, would seldom reach them.
   */
  async readUpTo(
    instant: number,
    { fresh = false, key }: { fresh?: boolean; key?: string } = {},
  ): Promise<void> {
    if (key !== undefined) fresh = true;
    const wanted = Math.min(instant, this.clock.now().getTime());
    const giveUpAt = Date.now() + this.waitMs;
    if (!fresh && this.readAt >= wanted) return;
    const { copy, groupId, topic } = this.options;
    let own: Promise<Target> | undefined;
    for (;;) {
      let kafkaError: Error | undefined;
      // Kafka's errors here (a moved partition leader, a broker restarting) pass like the lag does; an
      // unreachable Kafka must not hold the decision (and its transaction) past waitMs either.
      const attempt = async () => {
        if (!fresh) return this.catchUpShared();
        own ??= this.endOffsets().catch((err: Error) => {
          own = undefined;
          throw err;
        });
        return this.reached(await own, key);
      };
      const reached = await withTimeout(attempt(), Math.max(giveUpAt - Date.now(), 100)).catch(
        (err: Error) => {
          kafkaError = err;
          return false;
        },
      );
      if (fresh ? reached : this.readAt >= wanted) return;
      if (Date.now() >= giveUpAt)
        throw new NotReadyYet(
          kafkaError
            ? `cannot check ${copy} against Kafka: ${kafkaError.message}`
            : `${copy} (consumer group ${groupId}) has not read ${topic} up to ${new Date(wanted).toISOString()} yet`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const admin = this.admin;
    this.admin = undefined;
    // A connect still under way (Kafka unreachable) is closed when it ends, without holding the shutdown.
    const closing = admin?.then((a) => a.disconnect()).catch(() => undefined);
    if (closing) await withTimeout(closing, 2000).catch(() => undefined);
  }

  /**
   * The shared end offsets (taken once; the moment before is what they vouch for): once the group has
   * committed past them, readAt moves to that moment and the next wait takes new ones. A fixed target
   * converges even while the topic keeps growing.
   */
  private async catchUpShared(): Promise<boolean> {
    const target = (this.shared ??= this.endOffsets().catch((err) => {
      this.shared = undefined;
      throw err;
    }));
    const taken = await target;
    if (!(await this.reached(taken))) return false;
    this.readAt = Math.max(this.readAt, taken.at);
    if (this.shared === target) this.shared = undefined;
    return true;
  }

  private async endOffsets(): Promise<Target> {
    const admin = await this.connectedAdmin();
    const at = this.clock.now().getTime();
    return { at, highs: await admin.fetchTopicOffsets(this.options.topic) };
  }

  /** Whether the group has committed past `target` (for `key`: in its partition). */
  private async reached(target: Target, key?: string): Promise<boolean> {
    const admin = await this.connectedAdmin();
    const [committed] = await admin.fetchOffsets({
      groupId: this.options.groupId,
      topics: [this.options.topic],
    });
    const read = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]));
    const { highs } = target;
    const keyed = key === undefined ? undefined : partitionOfKey(this.options.topic, key, highs.length);
    return highs
      .filter(({ partition }) => keyed === undefined || partition === keyed)
      .every(({ partition, high, low }) => high === low || (read.get(partition) ?? -1n) >= BigInt(high));
  }

  private connectedAdmin(): Promise<Admin> {
    if (this.closed) return Promise.reject(new Error('the service is shutting down'));
    this.admin ??= (async () => {
      // No retries of its own: the wait above retries, within waitMs.
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })().catch((err) => {
      this.admin = undefined;
      throw err;
    });
    return this.admin;
  }
}

const defaultPartitioner = Partitioners.DefaultPartitioner();

/** The partition of `partitionCount` the producers' default partitioner (murmur2, as Java's) puts `key` in. */
export function partitionOfKey(topic: string, key: string, partitionCount: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
  }));
  return defaultPartitioner({ topic, partitionMetadata, message: { key, value: null } });
}
