import type { Kafka } from 'kafkajs';
import { createKafka } from '@nqpf/messaging';
import {
  ConfigError,
  kafkaSecurityOf,
  loadConfig,
  type ConfigOf,
  type KafkaConfig,
  type VarSpec,
} from '@nqpf/platform';
import { UsageError } from './usage';

/** `spec` loaded from the environment as the services load it; a problem is a usage error (exit 2). */
export function configFromEnv<T extends Record<string, VarSpec>>(
  spec: T,
  env: NodeJS.ProcessEnv,
): ConfigOf<T> {
  return asUsage(() => loadConfig(spec, env));
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
