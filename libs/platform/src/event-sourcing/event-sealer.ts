import { readFileSync } from 'node:fs';
import { isDevelopmentEnv } from '@nqpf/auth';
import { EventSealer, SealKeyError, SealKeys } from '@nqpf/event-store';
import { BaseConfig, ConfigError } from '../config';

/**
 * The service's seal key (NQPF_EVENT_SEAL_KEY_FILE, docs/audit.md "Seals"). A deployment must have one:
 * unsealed appends cannot be told from events someone added to the database. A development stack may go
 * without (undefined: appends unsealed).
 */
export function eventSealerOf(
  config: Pick<BaseConfig, 'NODE_ENV' | 'NQPF_EVENT_SEAL_KEY_FILE'>,
): EventSealer | undefined {
  const file = config.NQPF_EVENT_SEAL_KEY_FILE;
  if (!file) {
    if (isDevelopmentEnv(config.NODE_ENV)) return undefined;
    throw new ConfigError([
      `NQPF_EVENT_SEAL_KEY_FILE is required with NODE_ENV=${config.NODE_ENV}: the service seals what it appends with that Ed25519 key`,
    ]);
  }
  return asConfigError(() =>
    EventSealer.fromPem(readKeyFile('NQPF_EVENT_SEAL_KEY_FILE', file), source(file)),
  );
}

/**
 * The keys whose seals the outbox relay accepts (docs/operations.md, "Seal keys"): the service's public keys
 * in NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE, which must hold its current key's (a key whose public half is not
 * registered would fail the nightly verify too), else its own key's alone. None without a seal key.
 */
export function relaySealKeysOf(
  config: Pick<BaseConfig, 'NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE'>,
  sealer: EventSealer | undefined,
): SealKeys | undefined {
  if (!sealer) return undefined;
  const file = config.NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE;
  if (!file) return SealKeys.fromPem(sealer.publicPem);
  const keys = asConfigError(() =>
    SealKeys.fromPem(
      readKeyFile('NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE', file),
      `NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE ${file}`,
    ),
  );
  if (!keys.ids.includes(sealer.keyId))
    throw new ConfigError([
      `NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE ${file} does not hold the public half of the service's seal key ${sealer.keyId}: add it (openssl pkey -pubout), keeping the old ones, before the key is used`,
    ]);
  return keys;
}

const source = (file: string) => `NQPF_EVENT_SEAL_KEY_FILE ${file}`;

function readKeyFile(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
}

function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SealKeyError) throw new ConfigError([err.message]);
    throw err;
  }
}
