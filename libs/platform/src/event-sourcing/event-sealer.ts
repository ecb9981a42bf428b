import { readFileSync } from 'node:fs';
import { isDevelopmentEnv } from '@nqpf/auth';
import { EventSealer, SealKeyError } from '@nqpf/event-store';
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
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([
      `NQPF_EVENT_SEAL_KEY_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  try {
    return EventSealer.fromPem(pem, `NQPF_EVENT_SEAL_KEY_FILE ${file}`);
  } catch (err) {
    if (err instanceof SealKeyError) throw new ConfigError([err.message]);
    throw err;
  }
}
