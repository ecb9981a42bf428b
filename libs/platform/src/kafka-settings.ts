import fs from 'node:fs';
import {
  KAFKA_SASL_MECHANISMS,
  type KafkaSaslMechanism,
  type KafkaSecurity,
  type TopicDurability,
} from '@nqpf/messaging';
import { ConfigError, type ConfigOf, type kafkaConfigSpec } from './config';

export type KafkaConfig = ConfigOf<typeof kafkaConfigSpec>;

/**
 * The Kafka client's TLS and SASL settings from the validated configuration, checked together: a
 * contradiction (a CA without TLS, a mechanism without credentials, PLAIN's clear-text password without
 * TLS) stops the start naming the variables, like any other configuration error.
 */
export function kafkaSecurityOf(config: KafkaConfig): KafkaSecurity {
  const problems: string[] = [];
  const security: KafkaSecurity = {};
  if (config.KAFKA_TLS) security.tls = { ca: readCa(config.KAFKA_TLS_CA_FILE, problems) };
  else if (config.KAFKA_TLS_CA_FILE) problems.push('KAFKA_TLS_CA_FILE is set but KAFKA_TLS is not true');

  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined)
      problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM');
  } else if (!(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    problems.push(
      `KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got '${mechanism}'`,
    );
  } else {
    if (username === undefined) problems.push('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM');
    if (password === undefined) problems.push('KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM');
    if (mechanism === 'plain' && !config.KAFKA_TLS)
      problems.push('KAFKA_SASL_MECHANISM=plain sends the password in clear: set KAFKA_TLS=true');
    if (username !== undefined && password !== undefined)
      security.sasl = { mechanism: mechanism as KafkaSaslMechanism, username, password };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return security;
}

function readCa(file: string | undefined, problems: string[]): string | undefined {
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(
      `KAFKA_TLS_CA_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    problems.push(`KAFKA_TLS_CA_FILE: ${file} holds no PEM certificate`);
  return pem;
}

/**
 * How the topics the services create are replicated: -1 leaves a setting to the brokers; 0 means nothing,
 * and more in-sync replicas than replicas would refuse every write. (Surviving a lost broker needs fewer in
 * sync than replicas, e.g. 3 and 2; that is the operator's choice, not checked here.)
 */
export function topicDurabilityOf(config: KafkaConfig): TopicDurability {
  const { KAFKA_TOPIC_REPLICATION_FACTOR: replicas, KAFKA_TOPIC_MIN_INSYNC_REPLICAS: inSync } = config;
  const problems: string[] = [];
  if (replicas === 0)
    problems.push("KAFKA_TOPIC_REPLICATION_FACTOR must be -1 (the brokers' default) or at least 1");
  if (inSync === 0)
    problems.push("KAFKA_TOPIC_MIN_INSYNC_REPLICAS must be -1 (the brokers' default) or at least 1");
  if (replicas > 0 && inSync > replicas)
    problems.push(
      `KAFKA_TOPIC_MIN_INSYNC_REPLICAS (${inSync}) above KAFKA_TOPIC_REPLICATION_FACTOR (${replicas}) refuses every write`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...(replicas > 0 ? { replicationFactor: replicas } : {}),
    ...(inSync > 0 ? { minInsyncReplicas: inSync } : {}),
  };
}
