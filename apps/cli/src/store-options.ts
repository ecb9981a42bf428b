import { requireDistinctStoreNames, serviceStores, storeAt, type StoreLocation } from '@nqpf/audit';
import { SERVICES, type ServiceName } from '@nqpf/contracts';
import { announceLocalStack } from './environment';
import type { OptionValues } from './options';
import { UsageError } from './usage';

/** The options naming the stores a command works on, with their lines in its usage. */
export const STORE_OPTIONS = {
  'database-url': { type: 'string', multiple: true },
  services: { type: 'string' },
} as const;
export const STORE_OPTIONS_SYNOPSIS = `[--database-url [NAME=]URL …] [--services ${SERVICES.join(',')}]`;
export const STORE_OPTIONS_HELP = `Default stores: postgres://postgres@127.0.0.1:$NQPF_PG_PORT/<service> (env wins, else the port npm start
recorded in .local/run/ports.env, else deploy/config.env);
--database-url NAME=URL names a store (heads and reports use the name), else its database names it.`;

/**
 * The stores a command works on: --database-url (repeatable), else --services, else every local one.
 * Two of one name are refused: the reports and the heads file could not tell them apart.
 */
export function storesFromOptions(values: OptionValues<typeof STORE_OPTIONS>): StoreLocation[] {
  const { 'database-url': urls, services } = values;
  const locations = namedStores(urls, services);
  try {
    return requireDistinctStoreNames(locations);
  } catch (err) {
    throw new UsageError(`${urls ? '--database-url' : '--services'}: ${(err as Error).message}`);
  }
}

function namedStores(urls: string[] | undefined, services: string | undefined): StoreLocation[] {
  if (urls && services !== undefined)
    throw new UsageError('give either --database-url or --services, not both');
  if (urls)
    return urls.map((url) => {
      try {
        return storeAt(url);
      } catch (err) {
        throw new UsageError(`--database-url: ${(err as Error).message}`);
      }
    });
  if (services === undefined) return serviceStores();
  const names = services
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--services: name at least one service');
  const unknown = names.find((s) => !(SERVICES as readonly string[]).includes(s));
  if (unknown)
    throw new UsageError(`--services: unknown service '${unknown}' (known: ${SERVICES.join(', ')})`);
  return serviceStores(names as ServiceName[]);
}

/** Whether --database-url names the stores (else they are the local stack's). */
export function storesGiven(values: OptionValues<typeof STORE_OPTIONS>): boolean {
  return values['database-url'] !== undefined;
}

/** Says on stderr which local stores a command uses when --database-url names none. */
export function announceLocalStores(
  values: OptionValues<typeof STORE_OPTIONS>,
  stores: StoreLocation[],
): void {
  if (!storesGiven(values)) announceLocalStack(stores.map((s) => s.url));
}
