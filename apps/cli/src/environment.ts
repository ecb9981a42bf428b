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

/** The usage line naming the defaults localDefaults gives. */
export const LOCAL_DEFAULTS_HELP = `With NODE_ENV unset, development or test, an unset KAFKA_BROKERS is the local stack's broker
(the port npm start recorded in .local/run/ports.env, else deploy/config.env's).`;

/**
 * `spec` loaded from the environment as the services load it; a problem is a usage error (exit 2). In
 * development (NODE_ENV unset, development or test) the local stack fills what the environment leaves
 * unset: KAFKA_BROKERS, and DATABASE_URL when the command names its `localDatabase` — as the stores of
 * audit and outbox default to it. Elsewhere (a pod) a missing variable stays an error naming it.
 */
export function configFromEnv<T extends Record<string, VarSpec>>(
  spec: T,
  env: NodeJS.ProcessEnv,
  localDatabase?: string,
): ConfigOf<T> {
  return asUsage(() => loadConfig(spec, localDefaults(env, localDatabase)));
}

function localDefaults(env: NodeJS.ProcessEnv, localDatabase: string | undefined): NodeJS.ProcessEnv {
  if (!isDevelopmentEnv(env.NODE_ENV)) return env;
  return {
    ...env,
    KAFKA_BROKERS: env.KAFKA_BROKERS || localKafkaBrokers(env),
    ...(localDatabase ? { DATABASE_URL: env.DATABASE_URL || localDatabaseUrl(localDatabase, env) } : {}),
  };
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
