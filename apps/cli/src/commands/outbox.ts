import { refillStoreFromTopic, withStore, type RefillReport, type StoreLocation } from '@nqpf/audit';
import { SERVICES, serviceTopic, type ServiceName } from '@nqpf/contracts';
import { outboxStatus, republishFrom, type KnownHead, type SealKeys } from '@nqpf/event-store';
import { replayCleanupsDone } from '@nqpf/messaging';
import { kafkaConfigSpec } from '@nqpf/platform';
import { configFromEnv, kafkaOf, LOCAL_DEFAULTS_HELP } from '../environment';
import { required, runCommand } from '../options';
import { SEAL_KEYS_HELP, sealKeysByStore } from '../seal-keys-option';
import {
  announceLocalStores,
  STORE_OPTIONS,
  STORE_OPTIONS_HELP,
  STORE_OPTIONS_SYNOPSIS,
  storesFromOptions,
  storesGiven,
} from '../store-options';
import { UsageError } from '../usage';
import { readHeads, type AuditInput } from './audit';

export const summary =
  "see how far Kafka is behind each event store; make a store's relay publish again; refill a store from Kafka";

const USAGE = `usage: nqpf outbox status|republish|refill ${STORE_OPTIONS_SYNOPSIS} [--from-position N] [--seal-keys [NAME=]public.pem …] [--heads rollout.json|-] [--dry-run]
  status     per store: last position, events not yet acknowledged by Kafka, the oldest one's age
  republish  marks every event from --from-position on (required; 1 = all) as unpublished: the service's
             running relay publishes them again, in order — to refill a Kafka cluster that lost them.
             Consumers drop what they already applied. See docs/operations.md "Backups and recovery".
  refill     the other way: puts back into a store (restored to an earlier point) the events its service
             published to Kafka that the store no longer has, as they were stored, and marks published
             the stored events it finds there unmarked; names each stream where the store and Kafka
             disagree and then changes nothing (exit 1). Refused while the service runs. --seal-keys
             (required): the services' public seal keys, which every seal on a copy must match; --dry-run
             only reports. Stores named by service (Kafka as the services reach it:
             KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, KAFKA_TLS*, KAFKA_SASL_*).
             ${SEAL_KEYS_HELP}
             --heads (a store restored to before its seal-key rollout): the heads file taken --from-kafka
             at the rollout, which audit seal-heads sealed by (- reads it from stdin): a stream's unsealed
             event at its head there is where the service's first sealed append in it starts, as seal-heads
             vouched. Every store refilled must be in the file.
${STORE_OPTIONS_HELP}
${LOCAL_DEFAULTS_HELP}
Exit 0 done, 1 a store could not be read or changed, 2 invalid input.`;

const COMMAND = {
  name: 'outbox',
  usage: USAGE,
  options: {
    ...STORE_OPTIONS,
    'from-position': { type: 'string', only: ['republish'] },
    'dry-run': { type: 'boolean', only: ['refill'] },
    'seal-keys': { type: 'string', multiple: true, only: ['refill'] },
    heads: { type: 'string', only: ['refill'] },
  },
  actions: ['status', 'republish', 'refill'],
} as const;

export async function run(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  input: AuditInput = { stdin: process.stdin },
): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, action }) => {
    const stores = storesFromOptions(values);
    if (action === 'refill') {
      const given = required(values['seal-keys'], 'seal-keys', "to refill: the services' public seal keys");
      const keys = sealKeysByStore(given, stores)!;
      const rollout = values.heads === undefined ? undefined : await readHeads(values.heads, input.stdin);
      const missing = rollout && stores.find((s) => rollout.stores[s.name] === undefined);
      if (missing)
        throw new UsageError(
          `--heads: the heads file has no store '${missing.name}' (it has ${Object.keys(rollout.stores).join(', ') || 'none'}): give the file taken at its seal-key rollout`,
        );
      const rolloutHeads =
        rollout && new Map(stores.map((s) => [s.name, new Map(Object.entries(rollout.stores[s.name]!))]));
      return await refill(
        stores,
        storesGiven(values),
        keys,
        { dryRun: values['dry-run'] === true, rolloutHeads },
        env,
      );
    }
    announceLocalStores(values, stores);
    if (action === 'status') return await eachStore(stores, status);
    const from = fromPosition(
      required(values['from-position'], 'from-position', 'to republish (1 republishes everything)'),
    );
    return await eachStore(stores, async (location) => {
      const marked = await withStore(location, (store) => republishFrom(store.pool, from));
      return `${location.name}: ${marked} events from position ${from} marked for publishing again`;
    });
  });
}

function fromPosition(value: string): bigint {
  if (!/^[1-9][0-9]{0,18}$/.test(value))
    throw new UsageError(`--from-position: expected a position ≥ 1, got '${value}'`);
  return BigInt(value);
}

async function refill(
  stores: StoreLocation[],
  storesGiven: boolean,
  keys: ReadonlyMap<string, SealKeys>,
  options: { dryRun: boolean; rolloutHeads?: ReadonlyMap<string, ReadonlyMap<string, KnownHead>> },
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const unknown = stores.find((s) => !(SERVICES as readonly string[]).includes(s.name));
  if (unknown)
    throw new UsageError(
      `refill: name each store by its service (--services, or --database-url review=…): '${unknown.name}' is none`,
    );
  // The stores and the brokers, both given or both the local stack's: never one store refilled from another's Kafka.
  const config = configFromEnv(kafkaConfigSpec, env, {
    stores: { given: storesGiven, urls: stores.map((s) => s.url) },
  });
  const kafka = kafkaOf('nqpf-outbox', config);
  let conflicted = false;
  const outcome = await eachStore(stores, async (location) => {
    const prefix = config.KAFKA_TOPIC_PREFIX;
    const topic = serviceTopic(location.name as ServiceName, prefix);
    // The service's own group namespace: run it with the service's Kafka user, in its pod.
    const report = await refillStoreFromTopic(
      location,
      kafka,
      topic,
      `${prefix}.${location.name}.replay.`,
      keys.get(location.name)!,
      { dryRun: options.dryRun, rolloutHeads: options.rolloutHeads?.get(location.name) },
    );
    conflicted ||= report.conflicts.length > 0;
    return refillLines(report);
  });
  await replayCleanupsDone();
  return conflicted ? 1 : outcome;
}

/** What a refill says of one store (exported for its unit spec). */
export function refillLines(r: RefillReport): string {
  const head = `${r.store}: ${r.read} records read from ${r.topic}`;
  // A stream can disagree in more than one way (two events at a version on Kafka, one of them the store's).
  const streams = new Set(r.conflicts.map((c) => c.streamId)).size;
  if (r.conflicts.length > 0)
    return [
      `${head}; NOT refilled: ${streams} stream${streams === 1 ? '' : 's'} disagree${streams === 1 ? 's' : ''} with Kafka`,
      ...r.conflicts.map((c) => `  CONFLICT stream ${c.streamId} version ${c.streamVersion}: ${c.detail}`),
    ].join('\n');
  const marked =
    r.alreadyPublished === 0
      ? ''
      : `; ${r.alreadyPublished} stored events not marked published were on Kafka already: ${r.dryRun ? 'would be marked' : 'marked'} published (the relay does not send them again)`;
  const dry = r.dryRun ? ' (dry run)' : '';
  if (r.refilled === 0) return `${head}; nothing to refill${marked}${marked && dry}`;
  const what = `${r.refilled} events in ${r.streams} streams`;
  if (r.dryRun) return `${head}; would refill ${what}${marked}${dry}`;
  const unsealed =
    r.unsealedHeads === 0
      ? ''
      : `; ${r.unsealedHeads} of their heads are from before the service sealed (nqpf audit seal-heads --heads <the rollout heads> seals those)`;
  return `${head}; refilled ${what}${unsealed}${marked}`;
}

async function status(location: StoreLocation): Promise<string> {
  const s = await withStore(location, (store) => outboxStatus(store.pool));
  const behind =
    s.oldestUnpublishedAt === null
      ? 'all published'
      : `${s.unpublished} unpublished from position ${s.firstUnpublished}, the oldest recorded ` +
        `${Math.round((Date.now() - s.oldestUnpublishedAt.getTime()) / 1000)} s ago`;
  return `${location.name}: last position ${s.lastPosition}, ${behind}`;
}

/** Runs `work` on every store, printing each line; a store that fails is reported and makes the exit 1. */
async function eachStore(
  stores: StoreLocation[],
  work: (location: StoreLocation) => Promise<string>,
): Promise<number> {
  let failed = false;
  for (const location of stores) {
    try {
      process.stdout.write(`${await work(location)}\n`);
    } catch (err) {
      failed = true;
      process.stdout.write(`${location.name}: ERROR ${(err as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}
