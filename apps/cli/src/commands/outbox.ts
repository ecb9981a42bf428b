import { withStore, type StoreLocation } from '@nqpf/audit';
import { SERVICES } from '@nqpf/contracts';
import { outboxStatus, republishFrom } from '@nqpf/event-store';
import { storesFromOptions } from '../store-options';
import { invalidInput, parseCommandLine, UsageError } from '../usage';

export const summary = "see how far Kafka is behind each event store; make a store's relay publish again";

const USAGE = `usage: nqpf outbox status|republish [--database-url [NAME=]URL …] [--services ${SERVICES.join(',')}] [--from-position N]
  status     per store: last position, events not yet acknowledged by Kafka, the oldest one's age
  republish  marks every event from --from-position on (required; 1 = all) as unpublished: the service's
             running relay publishes them again, in order — to refill a Kafka cluster that lost them.
             Consumers drop what they already applied. See docs/operations.md "Backups and recovery".
Default stores: postgres://postgres@127.0.0.1:$NQPF_PG_PORT/<service> (deploy/config.env; env wins);
--database-url NAME=URL names a store (heads and reports use the name), else its database names it.
Exit 0 done, 1 a store could not be read or changed, 2 invalid input.`;

export async function run(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine({
      args,
      options: {
        'database-url': { type: 'string', multiple: true },
        services: { type: 'string' },
        'from-position': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const stores = storesFromOptions(values['database-url'], values.services);
    if (action === 'status') {
      if (values['from-position'] !== undefined) throw new UsageError('--from-position: only for republish');
      return await eachStore(stores, status);
    }
    if (action === 'republish') {
      const from = fromPosition(values['from-position']);
      return await eachStore(stores, async (location) => {
        const marked = await withStore(location, (store) => republishFrom(store.pool, from));
        return `${location.name}: ${marked} events from position ${from} marked for publishing again`;
      });
    }
    throw new UsageError(action ? `unknown action '${action}'` : 'give status or republish');
  } catch (err) {
    if (err instanceof UsageError) return invalidInput('outbox', err.message, USAGE);
    throw err;
  }
}

function fromPosition(value: string | undefined): bigint {
  if (value === undefined) throw new UsageError('--from-position: required (1 republishes everything)');
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
