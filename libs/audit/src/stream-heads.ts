import type { Kafka } from 'kafkajs';
import type { KnownHead } from '@nqpf/event-store';
import { fromWire, replayTopics } from '@nqpf/messaging';
import { withStore } from './open-store';
import { requireDistinctStoreNames, type StoreLocation } from './service-databases';

export const HEADS_FORMAT = 'nqpf-stream-heads/1';

/**
 * Every stream's head (last version and hash) per store, taken at one time and kept outside the
 * databases: `verify` against it reveals events removed from the end of a stream and tails rewritten
 * with recomputed hashes, which the chains alone cannot show.
 */
export interface HeadsFile {
  format: typeof HEADS_FORMAT;
  takenAt: string;
  stores: Record<string, Record<string, KnownHead>>;
}

export async function takeHeads(locations: StoreLocation[], now = new Date()): Promise<HeadsFile> {
  const stores: HeadsFile['stores'] = {};
  for (const location of requireDistinctStoreNames(locations))
    stores[location.name] = Object.fromEntries(await withStore(location, (store) => store.heads()));
  return { format: HEADS_FORMAT, takenAt: now.toISOString(), stores };
}

/**
 * The heads of the copies each store published to its service topic (`topics`: store name → topic),
 * read from offset zero: a second system the stores must still reach, held by other administrators.
 * Events not yet published are ahead of these heads, which verify allows. `replayGroupPrefix` starts the
 * throwaway consumer group's id.
 */
export async function headsFromTopics(
  kafka: Kafka,
  topics: Record<string, string>,
  replayGroupPrefix: string,
  now = new Date(),
): Promise<HeadsFile> {
  const stores: HeadsFile['stores'] = {};
  for (const [store, topic] of Object.entries(topics)) {
    const heads = new Map<string, KnownHead>();
    await replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: replayGroupPrefix,
      handleBatch: async (records) => {
        for (const record of records) {
          const event = fromWire(record.value);
          if (typeof event.streamId !== 'string' || !Number.isInteger(event.streamVersion))
            throw new Error(`${topic} partition ${record.partition} offset ${record.offset}: not an event`);
          const head = heads.get(event.streamId);
          if (!head || head.streamVersion < event.streamVersion)
            heads.set(event.streamId, { streamVersion: event.streamVersion, hash: event.hash });
        }
      },
    });
    stores[store] = Object.fromEntries(heads);
  }
  return { format: HEADS_FORMAT, takenAt: now.toISOString(), stores };
}

/**
 * Heads from Kafka where a store's topic held no event at all, yet the store has streams: verify with
 * that file checks the store by its chains alone, so removed last events and rewritten tails pass (a
 * wrong topic prefix or cluster, or a relay that never published). One warning per such store, naming
 * its topic; also when the store cannot be read to tell.
 */
export async function emptyTopicWarnings(
  heads: HeadsFile,
  topics: Record<string, string>,
  locations: StoreLocation[],
): Promise<string[]> {
  const warnings: string[] = [];
  for (const location of locations) {
    const topic = topics[location.name];
    if (topic === undefined || Object.keys(heads.stores[location.name] ?? {}).length > 0) continue;
    const unprotected = 'verify with this file checks them by their chains alone, without tail protection';
    try {
      const streams = (await withStore(location, (store) => store.heads())).size;
      if (streams > 0)
        warnings.push(
          `topic ${topic} holds no events, but store ${location.name} has ${streams} streams: ${unprotected} (check KAFKA_TOPIC_PREFIX and KAFKA_BROKERS)`,
        );
    } catch (err) {
      warnings.push(
        `topic ${topic} holds no events, and store ${location.name} could not be read (${(err as Error).message}): if it has streams, ${unprotected}`,
      );
    }
  }
  return warnings;
}

export class HeadsFileError extends Error {}

/** Checks a heads file's shape; the error names the first bad field. */
export function parseHeadsFile(raw: unknown): HeadsFile {
  const fail = (field: string, problem: string): never => {
    throw new HeadsFileError(`${field}: ${problem}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(raw)) return fail('(file)', 'not a JSON object');
  if (raw.format !== HEADS_FORMAT) fail('format', `expected '${HEADS_FORMAT}'`);
  if (typeof raw.takenAt !== 'string' || Number.isNaN(Date.parse(raw.takenAt)))
    fail('takenAt', 'expected an ISO timestamp');
  if (!isObject(raw.stores)) return fail('stores', 'expected an object of stores');
  for (const [store, heads] of Object.entries(raw.stores)) {
    if (!isObject(heads)) return fail(`stores.${store}`, 'expected an object of stream heads');
    for (const [streamId, head] of Object.entries(heads)) {
      const field = `stores.${store}.${streamId}`;
      if (!isObject(head)) return fail(field, 'expected { streamVersion, hash }');
      if (!Number.isInteger(head.streamVersion) || (head.streamVersion as number) < 1)
        fail(`${field}.streamVersion`, 'expected an integer ≥ 1');
      if (typeof head.hash !== 'string' || !/^[0-9a-f]{64}$/.test(head.hash))
        fail(`${field}.hash`, 'expected 64 hex digits (SHA-256)');
    }
  }
  return raw as unknown as HeadsFile;
}
