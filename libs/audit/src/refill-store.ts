import type { Kafka } from 'kafkajs';
import type { EventEnvelope } from '@nqpf/contracts';
import {
  copyOf,
  firstSealPosition,
  insertCopies,
  markPublished,
  relayLeaseName,
  storedHashes,
  TopicCopies,
  type KnownHead,
  type Queryable,
  type RefillConflict,
  type SealKeys,
  unpublishedEvents,
} from '@nqpf/event-store';
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
  /**
   * Refilled heads from before its service sealed its appends, which `nqpf audit seal-heads` seals: new
   * heads without a seal, and heads of the rollout heads file under a sealed append.
   */
  unsealedHeads: number;
  /**
   * Stored events whose outbox row was not marked published, read identical from Kafka (published before
   * the point the store was restored to recorded it): marked published (or, in a dry run, that would be),
   * so the relay does not send them again.
   */
  alreadyPublished: number;
  conflicts: RefillConflict[];
  dryRun: boolean;
}

export interface RefillOptions {
  /** Only report what would be refilled. */
  dryRun?: boolean;
  /**
   * The store's stream heads taken from Kafka at its seal-key rollout (the file `nqpf audit seal-heads`
   * sealed by), for a store restored to before the rollout: a stream's unsealed copy at its head there
   * starts the service's first sealed append in it (TopicCopies).
   */
  rolloutHeads?: ReadonlyMap<string, KnownHead>;
}

/**
 * Puts back into a store the events its service published to Kafka that the store no longer has (its
 * database restored to an earlier point, or failed over to a standby that lagged). Every copy must continue
 * its stream's stored head, match its hash and carry a valid seal where its service sealed (`sealKeys`:
 * the service's public keys; seals come back from the records' headers). Where the store and Kafka disagree
 * nothing is inserted and the conflicts are named. Stored events read identical from Kafka whose outbox
 * rows are not marked published (the store restored to between the publish and its mark) are marked, so
 * the relay does not send them again. Refused while the service runs (its relay's lease).
 */
export async function refillStoreFromTopic(
  location: StoreLocation,
  kafka: Kafka,
  topic: string,
  replayGroupPrefix: string,
  sealKeys: SealKeys,
  { dryRun = false, rolloutHeads }: RefillOptions = {},
): Promise<RefillReport> {
  return withStore(location, async (store) => {
    const lease = await store.pool.connect();
    try {
      const { rows } = await lease.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [
        relayLeaseName(store.schema),
      ]);
      if (!rows[0].locked)
        throw new Error('the service is running (its outbox relay holds its lease): stop it before a refill');
      const copies = new TopicCopies(await store.heads(), sealKeys, rolloutHeads);
      const unpublished = await unpublishedEvents(store.pool, store.schema, topic);
      const onKafka = new Set<string>();
      let read = 0;
      await replayTopics({
        kafka,
        topics: [topic],
        groupPrefix: replayGroupPrefix,
        handleBatch: async (records) => {
          for (const record of records) {
            let copy;
            try {
              copy = copyOf(fromWire(record.value));
            } catch (err) {
              throw new Error(
                `${topic} partition ${record.partition} offset ${record.offset}: not an event as stored (${(err as Error).message})`,
                { cause: err },
              );
            }
            copies.add(copy, wireSeal(headerText(record, SEAL_HEADER)));
            const stored = unpublished.get(copy.position);
            if (stored && stored.id === copy.id && stored.hash === copy.hash) onKafka.add(copy.position);
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
      const plan = copies.plan(await firstSealPosition(store.pool, store.schema));
      const conflicts = [
        ...plan.conflicts,
        ...diverged,
        ...(await takenPositions(store.pool, store.schema, plan.insert)),
      ];
      if (conflicts.length === 0 && !dryRun)
        await store.transaction(async (tx) => {
          await insertCopies(tx, store.schema, topic, plan.insert);
          await markPublished(tx, store.schema, [...onKafka]);
        });
      // The last copy refilled per stream is its new head.
      const heads = new Map(plan.insert.map((c) => [c.event.streamId, c]));
      return {
        store: location.name,
        topic,
        read,
        refilled: conflicts.length === 0 ? plan.insert.length : 0,
        streams: heads.size,
        unsealedHeads: plan.insert.filter(
          (c) => c.rolloutHead || (heads.get(c.event.streamId) === c && !c.seal),
        ).length,
        alreadyPublished: conflicts.length === 0 ? onKafka.size : 0,
        conflicts,
        dryRun,
      };
    } finally {
      await lease.query('select pg_advisory_unlock_all()').catch(() => undefined);
      lease.release();
    }
  });
}

/**
 * The copies whose position the store gave another event (the service appended after the restore): each
 * a conflict naming the store's event there. Checked while planning, so a dry run says what the refill
 * would refuse (insertCopies checks again, inside its transaction).
 */
async function takenPositions(
  db: Queryable,
  schema: string,
  insert: { event: EventEnvelope }[],
): Promise<RefillConflict[]> {
  if (insert.length === 0) return [];
  const { rows } = await db.query<{
    position: string;
    id: string;
    stream_id: string;
    stream_version: number;
  }>(
    `select position::text as position, event_id::text as id, stream_id, stream_version from ${schema}.events
      where position = any($1::bigint[]) order by position`,
    [insert.map((c) => c.event.position)],
  );
  return rows.flatMap((r) =>
    insert
      .filter((c) => c.event.position === r.position)
      .map(({ event }) => ({
        streamId: event.streamId,
        streamVersion: event.streamVersion,
        detail: `its position ${r.position} is taken in the store by event ${r.id} (stream ${r.stream_id} version ${r.stream_version}): the service appended after the restore`,
      })),
  );
}
