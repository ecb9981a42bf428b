import { withStore, type StoreLocation } from '@nqpf/audit';
import { outboxStatus, republishFrom } from '@nqpf/event-store';
import { required, runCommand } from '../options';
import {
  STORE_OPTIONS,
  STORE_OPTIONS_HELP,
  STORE_OPTIONS_SYNOPSIS,
  storesFromOptions,
} from '../store-options';
import { UsageError } from '../usage';

export const summary = "see how far Kafka is behind each event store; make a store's relay publish again";

const USAGE = `usage: nqpf outbox status|republish ${STORE_OPTIONS_SYNOPSIS} [--from-position N]
  status     per store: last position, events not yet acknowledged by Kafka, the oldest one's age
  republish  marks every event from --from-position on (required; 1 = all) as unpublished: the service's
             running relay publishes them again, in order — to refill a Kafka cluster that lost them.
             Consumers drop what they already applied. See docs/operations.md "Backups and recovery".
${STORE_OPTIONS_HELP}
Exit 0 done, 1 a store could not be read or changed, 2 invalid input.`;

const COMMAND = {
  name: 'outbox',
  usage: USAGE,
  options: { ...STORE_OPTIONS, 'from-position': { type: 'string', only: ['republish'] } },
  actions: ['status', 'republish'],
} as const;

export async function run(args: string[]): Promise<number> {
  return runCommand(COMMAND, args, async ({ values, action }) => {
    const stores = storesFromOptions(values);
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
