import { type Admin, ConfigResourceTypes, Kafka, logLevel, type SASLOptions } from 'kafkajs';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** How a client proves itself to the brokers and protects the connection; none by default (local). */
export interface KafkaSecurity {
  /** TLS to every broker; `ca`: PEM certificates to trust besides Node's own (a private CA). */
  tls?: { ca?: string };
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/**
 * Every use of kafkajs stays behind libs/messaging (STYLE.md: kafkajs is in maintenance mode; keep the
 * client swappable). Retries are generous so a broker restart is ridden out, not surfaced; a probe, which
 * must answer now, takes `retries: 0` (they also govern connecting, whatever a client's admin is given).
 */
export function createKafka(
  clientId: string,
  brokers: string[],
  security: KafkaSecurity = {},
  { retries = 20 }: { retries?: number } = {},
): Kafka {
  const { tls, sasl } = security;
  return new Kafka({
    clientId,
    brokers,
    ssl: tls ? (tls.ca ? { ca: [tls.ca] } : true) : undefined,
    // kafkajs types each mechanism apart; ours are exactly its scram-sha-512, scram-sha-256 and plain.
    sasl: sasl as SASLOptions | undefined,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries },
    logLevel: logLevel.NOTHING,
  });
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** How the brokers keep a topic: its replicas, and how many must have a write; unset: the brokers' defaults. */
export interface TopicDurability {
  replicationFactor?: number;
  minInsyncReplicas?: number;
}

/**
 * Creates the topics that do not exist yet and waits until every partition has a leader. Idempotent and
 * safe when several services create the same topic at once: a topic another process just created may
 * briefly be unknown to the broker answering (UNKNOWN_TOPIC_OR_PARTITION), so that is retried, not fatal.
 * Retention is unlimited: topics are a replay source. A durability the cluster cannot give (more replicas
 * than brokers) fails at once, naming it, instead of being retried.
 */
export async function createTopics(
  kafka: Kafka,
  topics: string[],
  numPartitions: number,
  durability: TopicDurability = {},
  timeoutMs = 30000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: false,
            topics: missing.map((topic) => ({
              topic,
              numPartitions,
              replicationFactor: durability.replicationFactor,
              configEntries: [
                ...Object.entries(KEPT_FOR_GOOD).map(([name, value]) => ({ name, value })),
                ...(durability.minInsyncReplicas === undefined
                  ? []
                  : [{ name: 'min.insync.replicas', value: String(durability.minInsyncReplicas) }]),
              ],
            })),
          });
        }
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
          await requireKeptForGood(admin, topics);
          return;
        }
      } catch (err) {
        if (Date.now() > deadline || refusedDurability(err) || err instanceof TopicRetentionError) throw err;
      }
      if (Date.now() > deadline)
        throw new Error(`topics not ready within ${timeoutMs} ms: ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** How every topic must keep its records: the read side and the audit replay them from offset zero. */
const KEPT_FOR_GOOD: Record<string, string> = {
  'retention.ms': '-1',
  'retention.bytes': '-1',
  'cleanup.policy': 'delete',
};

/** A topic (created by an operator, or under a cluster default) that would lose records. */
export class TopicRetentionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicRetentionError';
  }
}

/**
 * Refuses to go on with a topic that deletes or compacts records: `createTopics` sets unlimited retention
 * only on topics it creates, and a rebuild from a topic whose oldest records are gone would swap in a
 * model without them, silently.
 */
async function requireKeptForGood(admin: Admin, topics: string[]): Promise<void> {
  // Dead-letter topics are no replay source: an operator may give them a retention of their own.
  const sources = topics.filter((t) => !t.endsWith('.dlt'));
  if (sources.length === 0) return;
  let resources: { resourceName: string; configEntries: { configName: string; configValue: string }[] }[];
  try {
    ({ resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: sources.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: Object.keys(KEPT_FOR_GOOD),
      })),
    }));
  } catch (err) {
    if ((err as { type?: string }).type === 'TOPIC_AUTHORIZATION_FAILED')
      throw new TopicRetentionError(
        `cannot check that topics keep every record: this service's Kafka user may not describe the configs of ${sources.join(', ')}; grant it DescribeConfigs on every topic it reads or writes`,
      );
    throw err;
  }
  const problems = resources.flatMap((r) =>
    r.configEntries
      .filter(
        (c) => KEPT_FOR_GOOD[c.configName] !== undefined && c.configValue !== KEPT_FOR_GOOD[c.configName],
      )
      .map((c) => `${r.resourceName} has ${c.configName}=${c.configValue}`),
  );
  if (problems.length > 0)
    throw new TopicRetentionError(
      `topics must keep every record (rebuilds, as-of and audit replay read them from offset zero): ${problems.join('; ')}. ` +
        `Set ${Object.entries(KEPT_FOR_GOOD)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')} on them (kafka-configs --alter), then start again`,
    );
}

/** The brokers refused the durability asked for (e.g. 3 replicas on 1 broker): asking again cannot help. */
function refusedDurability(err: unknown): boolean {
  const errors = (err as { errors?: { type?: string }[] }).errors ?? [err as { type?: string }];
  return errors.some((e) => e.type === 'INVALID_REPLICATION_FACTOR' || e.type === 'INVALID_CONFIG');
}
