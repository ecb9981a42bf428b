import { requireDistinctStoreNames, serviceStores, storeAt, type StoreLocation } from '@nqpf/audit';
import { SERVICES, type ServiceName } from '@nqpf/contracts';
import { UsageError } from './usage';

/**
 * The stores a command works on: --database-url (repeatable), else --services, else every local one.
 * Two of one name are refused: the reports and the heads file could not tell them apart.
 */
export function storesFromOptions(urls: string[] | undefined, services: string | undefined): StoreLocation[] {
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
