import type { Kafka } from 'kafkajs';
import { insertCopies, storedHashes, TopicCopies, type RefillConflict } from '@nqpf/event-store';
import { fromWire, headerText, replayTopics, SEAL_HEADER, wireSeal } from '@nqpf/messaging';
import { withStore } from './open-store';
import type { StoreLocation } from './service-databases';

export interface RefillReport {
  store: string;
  topic: string;
  /** Records read from the topic. */
  read: number;
  /** Events inserted (or, in a dry run, that would be). */
  refilled: number;
  streams: number;
  /** Refilled streams whose new head came without a seal (published before seals were on the wire). */
  unsealedHeads: number;
  conflicts: RefillConflict[];
  dryRun: boolean;
}

/**
 * Puts back into a store the events its service published to Kafka that the store no longer has (its
 * database restored to an earlier point, or failed over to a standby that lagged). Every copy must continue
 * its stream's stored head and match its hash (seals come back from the records' headers); where the store and Kafka disagree (the service appended
 * after the restore) nothing is inserted and the conflicts are named. Run it with the service stopped.
 */
export async function refillStoreFromTopic(
  location: StoreLocation,
  kafka: Kafka,
  topic: string,
  replayGroupPrefix: string,
  dryRun = false,
): Promise<RefillReport> {
  return withStore(location, async (store) => {
    const copies = new TopicCopies(await store.heads());
    let read = 0;
    await replayTopics({
      kafka,
      topics: [topic],
      groupPrefix: replayGroupPrefix,
      handleBatch: async (records) => {
        for (const record of records) {
          const copy = fromWire(record.value);
          if (typeof copy.streamId !== 'string' || !Number.isInteger(copy.streamVersion))
            throw new Error(`${topic} partition ${record.partition} offset ${record.offset}: not an event`);
          copies.add(copy, wireSeal(headerText(record, SEAL_HEADER)));
          read++;
        }
      },
    });
    const passed = copies.passedByStore();
    const stored = await storedHashes(store.pool, store.schema, passed);
    const diverged = passed
      .filter((copy) => stored.get(`${copy.streamId}@${copy.streamVersion}`) !== copy.hash)
      .map((copy) => ({
        streamId: copy.streamId,
        streamVersion: copy.streamVersion,
        detail: `the store's event here differs from the copy on Kafka (${copy.id}): the stream went another way after the restore`,
      }));
    const plan = copies.plan();
    // The last copy refilled per stream is its new head.
    const heads = new Map(plan.insert.map((c) => [c.event.streamId, c]));
    const conflicts = [...plan.conflicts, ...diverged];
    if (conflicts.length === 0 && !dryRun)
      await store.transaction((tx) => insertCopies(tx, store.schema, topic, plan.insert));
    return {
      store: location.name,
      topic,
      read,
      refilled: conflicts.length === 0 ? plan.insert.length : 0,
      streams: heads.size,
      unsealedHeads: [...heads.values()].filter((c) => !c.seal).length,
      conflicts,
      dryRun,
    };
  });
}
