import fs from 'node:fs';
import type { StoreLocation } from '@nqpf/audit';
import { SealKeyError, SealKeys } from '@nqpf/event-store';
import { UsageError } from './usage';

export const SEAL_KEYS_HELP = `--seal-keys FILE: PEM public seal keys trusted for every store; --seal-keys NAME=FILE (repeat it):
           each store checked against its own service's keys only (a key of one service cannot vouch
           for another's events)`;

/**
 * The public seal keys each store is checked against: one file for all stores, or `NAME=FILE` per store
 * (then every store needs one). Undefined without the option.
 */
export function sealKeysByStore(
  given: string[] | undefined,
  stores: StoreLocation[],
): Map<string, SealKeys> | undefined {
  if (!given || given.length === 0) return undefined;
  const named = given.filter((g) => /^[a-z][a-z0-9_-]*=/.test(g));
  if (named.length === 0) {
    if (given.length > 1)
      throw new UsageError('--seal-keys: give one FILE for every store, or NAME=FILE per store');
    const keys = readSealKeys(given[0]!);
    return new Map(stores.map((s) => [s.name, keys]));
  }
  if (named.length !== given.length)
    throw new UsageError('--seal-keys: give one FILE for every store, or NAME=FILE per store, not both');
  const byName = new Map(
    named.map((g) => {
      const at = g.indexOf('=');
      return [g.slice(0, at), readSealKeys(g.slice(at + 1))] as const;
    }),
  );
  for (const name of byName.keys())
    if (!stores.some((s) => s.name === name))
      throw new UsageError(`--seal-keys ${name}=…: no store named ${name} here`);
  const missing = stores.find((s) => !byName.has(s.name));
  if (missing)
    throw new UsageError(`--seal-keys: no keys for store ${missing.name} (give ${missing.name}=FILE)`);
  return byName;
}

function readSealKeys(file: string): SealKeys {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--seal-keys: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? ''}`);
  }
  try {
    return SealKeys.fromPem(text, `--seal-keys ${file}`);
  } catch (err) {
    if (err instanceof SealKeyError) throw new UsageError(err.message);
    throw err;
  }
}
