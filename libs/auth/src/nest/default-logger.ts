import pino from 'pino';
import { AuthLogger } from '../access/denial-log';

let logger: AuthLogger | undefined;

/** Used when a service injects none; prefer the service's own pino logger. */
export function defaultAuthLogger(): AuthLogger {
  logger ??= pino({ name: 'nqpf-auth' });
  return logger;
}
