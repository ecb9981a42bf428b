import pino, { Logger } from 'pino';
import { logDestination } from './log-destination';

const loggers = new Map<string, Logger>();

/** One security log per service (denials, 5xx causes), at the service's LOG_LEVEL, beside its request log. */
export function securityLog(service: string, level = 'info'): Logger {
  const key = `${service}:${level}`;
  let log = loggers.get(key);
  if (!log)
    loggers.set(key, (log = pino({ level, base: { service, context: 'security' } }, logDestination())));
  return log;
}
