import fs from 'node:fs';
import path from 'node:path';
import { SERVICES, type ServiceName } from '@nqpf/contracts';

/** One event store to audit: a label for reports and its PostgreSQL URL. */
export interface StoreLocation {
  name: string;
  url: string;
}

const CONFIG_ENV = path.resolve(__dirname, '../../../deploy/config.env');

/** NQPF_PG_PORT from the environment, else deploy/config.env, else the documented 15432. */
export function localPostgresPort(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NQPF_PG_PORT) return env.NQPF_PG_PORT;
  try {
    const line = fs
      .readFileSync(CONFIG_ENV, 'utf8')
      .split('\n')
      .find((l) => l.trim().startsWith('NQPF_PG_PORT='));
    if (line) return line.split('=')[1]!.trim();
  } catch {
    // no checkout around the binary: fall back to the default port
  }
  return '15432';
}

/** The local databases of the given services: postgres://postgres@127.0.0.1:<port>/<service>. */
export function serviceStores(
  services: readonly ServiceName[] = SERVICES,
  env: NodeJS.ProcessEnv = process.env,
): StoreLocation[] {
  const port = localPostgresPort(env);
  return services.map((name) => ({ name, url: `postgres://postgres@127.0.0.1:${port}/${name}` }));
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
