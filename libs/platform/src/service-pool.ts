import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { BaseConfig } from './config';

/**
 * The service's PostgreSQL pool. A session left idle inside a transaction (a stalled process, a client
 * never released) is ended by the server after DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS, so the row and
 * advisory locks it holds stop blocking the other replicas.
 */
export function createServicePool(
  config: Pick<BaseConfig, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'>,
  service: string,
  log = new Logger('pg'),
): Pool {
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    application_name: service,
    idle_in_transaction_session_timeout: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  // A lost connection must not crash the process (TypeORM issue 1689's lesson): idle clients report
  // through the pool; a checked-out client's error also rejects its query, which the caller handles.
  pool.on('error', (err) => log.error(`idle client error: ${err.message}`));
  pool.on('connect', (client) => client.on('error', (err) => log.warn(`connection lost: ${err.message}`)));
  return pool;
}
