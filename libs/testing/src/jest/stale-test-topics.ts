import { Kafka, logLevel } from 'kafkajs';

/** uniqueName's stamp inside a topic name: `<prefix>_<Date.now() in base 36>_<8 hex>`. */
const STAMP = /_([0-9a-z]{8,9})_[0-9a-f]{8}(?![0-9a-f])/;

/** The topics a test run created (by uniqueName) more than `olderThanMs` ago. */
export function staleTestTopics(topics: readonly string[], now: number, olderThanMs: number): string[] {
  return topics.filter((topic) => {
    const stamp = STAMP.exec(topic)?.[1];
    return stamp !== undefined && parseInt(stamp, 36) < now - olderThanMs;
  });
}

const STALE_AFTER_MS = 3 * 3600_000;

/**
 * Deletes the topics of test runs older than three hours on a broker kept between runs (the local one): each
 * full run leaves some thousand partitions, and a broker with ~20 000 of them stops on "Too many open files"
 * (a day of a busy session's runs did: the window was a day). Runs going on now (a full run takes ~20
 * minutes) keep theirs; the city's topics have no stamp.
 */
export async function pruneStaleTestTopics(brokers: string): Promise<number> {
  const kafka = new Kafka({
    clientId: 'nqpf-test-prune',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const stale = staleTestTopics(await admin.listTopics(), Date.now(), STALE_AFTER_MS);
    for (let i = 0; i < stale.length; i += 200)
      await admin.deleteTopics({ topics: stale.slice(i, i + 200), timeout: 60_000 });
    return stale.length;
  } finally {
    await admin.disconnect();
  }
}
