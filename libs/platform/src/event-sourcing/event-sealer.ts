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
  const pem = readKeyFile('NQPF_EVENT_SEAL_KEY_FILE', file);
  return asConfig(() => EventSealer.fromPem(pem, `NQPF_EVENT_SEAL_KEY_FILE ${file}`));
}

/**
 * The keys the service's relay checks the outbox's seals with: its own, and the earlier ones in
 * NQPF_EVENT_SEAL_TRUSTED_KEYS_FILE (a rotation); undefined without a sealer (nothing to check against).
 */
export function relaySealKeysOf(
  config: Pick<BaseConfig, 'NQPF_EVENT_SEAL_TRUSTED_KEYS_FILE'>,
  sealer: EventSealer | undefined,
): SealKeys | undefined {
  if (!sealer) return undefined;
  const file = config.NQPF_EVENT_SEAL_TRUSTED_KEYS_FILE;
  const earlier = file ? readKeyFile('NQPF_EVENT_SEAL_TRUSTED_KEYS_FILE', file) : '';
  return asConfig(() =>
    SealKeys.fromPem(`${sealer.publicPem}\n${earlier}`, `NQPF_EVENT_SEAL_TRUSTED_KEYS_FILE ${file}`),
  );
}

function readKeyFile(variable: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `${variable}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
}

function asConfig<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SealKeyError) throw new ConfigError([err.message]);
    throw err;
  }
}
