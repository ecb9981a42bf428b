import type { Kafka } from 'kafkajs';
import type { KnownHead } from '@nqpf/event-store';
import { fromWire, replayTopics } from '@nqpf/messaging';
import { withStore } from './open-store';
import type { StoreLocation } from './service-databases';

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
  for (const location of locations)
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
