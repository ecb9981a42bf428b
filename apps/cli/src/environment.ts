import type { Kafka } from 'kafkajs';
import { isDevelopmentEnv } from '@nqpf/auth';
import { createKafka } from '@nqpf/messaging';
import {
  ConfigError,
  kafkaSecurityOf,
  loadConfig,
  localDatabaseUrl,
  localKafkaBrokers,
  type ConfigOf,
  type KafkaConfig,
  type VarSpec,
} from '@nqpf/platform';
import { UsageError } from './usage';

/** The usage line naming the local defaults configFromEnv gives. */
export const LOCAL_DEFAULTS_HELP = `With NODE_ENV unset, development or test and none of the command's connections given (KAFKA_BROKERS,
DATABASE_URL, --database-url), it uses the local stack (the ports npm start recorded in .local/run/ports.env,
else deploy/config.env's) and says so on stderr; given some, it needs them all.`;

/** The stores a command also connects to: given (--database-url) or the local stack's (its default). */
export interface CommandStores {
  given: boolean;
  urls: readonly string[];
}

/**
 * `spec` loaded from the environment as the services load it; a problem is a usage error (exit 2).
 *
 * The local stack's defaults are all or nothing: in development (NODE_ENV unset, development or test), when
 * none of the command's connections is given — KAFKA_BROKERS, DATABASE_URL (with `localDatabase`, the one
 * it defaults to) and `stores` given with --database-url — it uses the local stack's broker, database and
 * stores, and says so on stderr. When some are given every one is required: a production DATABASE_URL never
 * meets the local broker. Elsewhere (a pod) a missing variable stays an error naming it.
 */
export function configFromEnv<T extends Record<string, VarSpec>>(
  spec: T,
  env: NodeJS.ProcessEnv,
  options: { localDatabase?: string; stores?: CommandStores } = {},
): ConfigOf<T> {
  const targets = connectionTargets(spec, env, options.stores);
  const given = targets.filter((t) => t.given);
  const missing = targets.filter((t) => !t.given);
  if (given.length > 0 && missing.length > 0)
    throw new UsageError(
      `${missing.map((t) => t.name).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required: ` +
        `${given.map((t) => t.name).join(', ')} ${given.length === 1 ? 'is' : 'are'} given, and the local ` +
        "stack's defaults apply only when none of the command's connections is",
    );
  if (given.length > 0 || !isDevelopmentEnv(env.NODE_ENV)) return asUsage(() => loadConfig(spec, env));
  const local: NodeJS.ProcessEnv = { ...env };
  if ('KAFKA_BROKERS' in spec) local.KAFKA_BROKERS = localKafkaBrokers(env);
  if ('DATABASE_URL' in spec && options.localDatabase)
    local.DATABASE_URL = localDatabaseUrl(options.localDatabase, env);
  const config = asUsage(() => loadConfig(spec, local));
  announceLocalStack(
    [...(local.DATABASE_URL ? [local.DATABASE_URL] : []), ...(options.stores?.urls ?? [])],
    local.KAFKA_BROKERS,
  );
  return config;
}

/** The connections a command needs (DATABASE_URL, --database-url, KAFKA_BROKERS) and whether each is given. */
function connectionTargets(
  spec: Record<string, VarSpec>,
  env: NodeJS.ProcessEnv,
  stores: CommandStores | undefined,
): { name: string; given: boolean }[] {
  return [
    ...('DATABASE_URL' in spec ? [{ name: 'DATABASE_URL', given: Boolean(env.DATABASE_URL) }] : []),
    ...(stores ? [{ name: '--database-url', given: stores.given }] : []),
    ...('KAFKA_BROKERS' in spec ? [{ name: 'KAFKA_BROKERS', given: Boolean(env.KAFKA_BROKERS) }] : []),
  ];
}

/** Says on stderr which of the local stack's databases and brokers a command uses by default (once a run). */
export function announceLocalStack(databases: readonly string[], brokers?: string): void {
  const parts = [
    ...(databases.length > 0
      ? [`${databases.length === 1 ? 'database' : 'databases'} ${databases.join(', ')}`]
      : []),
    ...(brokers ? [`brokers ${brokers}`] : []),
  ];
  if (parts.length > 0) process.stderr.write(`nqpf: using the local stack: ${parts.join('; ')}\n`);
}

/** A client reaching the brokers as the services do (KAFKA_BROKERS, KAFKA_TLS*, KAFKA_SASL_*). */
export function kafkaOf(clientId: string, config: KafkaConfig): Kafka {
  return createKafka(
    clientId,
    config.KAFKA_BROKERS,
    asUsage(() => kafkaSecurityOf(config)),
  );
}

function asUsage<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.problems.join('; '));
    throw err;
  }
}
