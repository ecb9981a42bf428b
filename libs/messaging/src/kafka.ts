import { Kafka, logLevel, LogEntry } from 'kafkajs';

/**
 * Every use of kafkajs stays behind libs/messaging (STYLE.md: kafkajs is in maintenance mode; keep the
 * client swappable). Retries are generous so a broker restart is ridden out, not surfaced.
 */
export function createKafka(clientId: string, brokers: string[], log?: (entry: LogEntry) => void): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 20 },
    logLevel: log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: log ? () => log : undefined,
  });
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Creates the topics that do not exist yet (idempotent); retention is unlimited: topics are a replay source. */
export async function createTopics(kafka: Kafka, topics: string[], numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({
      topics: missing.map((topic) => ({
        topic,
        numPartitions,
        configEntries: [{ name: 'retention.ms', value: '-1' }],
      })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
