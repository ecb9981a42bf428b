import { SERVICES, type ServiceName } from '@nqpf/contracts';
import { localDatabaseUrl } from '@nqpf/platform';

/** One event store to audit: a label for reports and its PostgreSQL URL. */
export interface StoreLocation {
  name: string;
  url: string;
}

/**
 * The local databases of the given services: postgres://postgres@127.0.0.1:<port>/<service>, the port as
 * libs/platform's localPort reads it (NQPF_PG_PORT, else the running stack's, else deploy/config.env).
 */
export function serviceStores(
  services: readonly ServiceName[] = SERVICES,
  env: NodeJS.ProcessEnv = process.env,
): StoreLocation[] {
  return services.map((name) => ({ name, url: localDatabaseUrl(name, env) }));
}

/**
 * A store from the CLI's --database-url: `NAME=postgres://…` names it (as heads from Kafka name stores by
 * service), a bare URL is named by its database.
 */
export function storeAt(spec: string): StoreLocation {
  const named = /^([a-z][a-z0-9_-]*)=(postgres(?:ql)?:\/\/.*)$/.exec(spec);
  const url = named ? named[2]! : spec;
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new Error(`expected a postgres:// URL, got '${parsed.protocol}'`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return { name: named ? named[1]! : database || parsed.host, url };
}

/**
 * The locations, refused when two share a name: reports and heads files key stores by name, so the heads
 * of one would overwrite the other's (two databases of one name on different hosts, or one given twice).
 * The error names the stores by host and database, never with the URL's credentials.
 */
export function requireDistinctStoreNames(locations: StoreLocation[]): StoreLocation[] {
  const byName = new Map<string, StoreLocation[]>();
  for (const location of locations)
    byName.set(location.name, [...(byName.get(location.name) ?? []), location]);
  const shared = [...byName].filter(([, same]) => same.length > 1);
  if (shared.length > 0)
    throw new Error(
      shared
        .map(([name, same]) => `${same.length} stores named '${name}' (${same.map(whereIs).join(', ')})`)
        .join('; ') + ': name each store NAME=URL',
    );
  return locations;
}

function whereIs(location: StoreLocation): string {
  try {
    const url = new URL(location.url);
    return `${url.host}${url.pathname}`;
  } catch {
    return location.name;
  }
}
