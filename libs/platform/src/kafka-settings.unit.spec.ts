import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, kafkaConfigSpec, loadConfig } from './config';
import { kafkaSecurityOf, topicDurabilityOf } from './kafka-settings';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nqpf-')), name);
  writeFileSync(path, text);
  return path;
}

const security = (env: Record<string, string>) =>
  kafkaSecurityOf(loadConfig(kafkaConfigSpec, { KAFKA_BROKERS: 'b:9093', ...env }));

function problems(env: Record<string, string>): string[] {
  try {
    security(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaSecurityOf', () => {
  it('is nothing by default (the local broker listens in plain text on loopback)', () => {
    expect(security({})).toEqual({});
  });

  it('turns on TLS, trusting the CA file when one is named', () => {
    expect(security({ KAFKA_TLS: 'true' })).toEqual({ tls: { ca: undefined } });
    const ca = file('ca.pem', PEM);
    expect(security({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: ca })).toEqual({ tls: { ca: PEM } });
  });

  it('authenticates with SCRAM, with or without TLS', () => {
    const scram = {
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'review',
      KAFKA_SASL_PASSWORD: 's',
    };
    expect(security(scram)).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'review', password: 's' },
    });
    expect(security({ ...scram, KAFKA_TLS: '1' }).tls).toEqual({ ca: undefined });
  });

  it.each([
    [{ KAFKA_TLS_CA_FILE: '/etc/ca.pem' }, 'KAFKA_TLS_CA_FILE is set but KAFKA_TLS is not true'],
    [
      { KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' },
      'KAFKA_TLS_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      "KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain, got 'gssapi'",
    ],
    [
      { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM',
    ],
    [
      { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_MECHANISM=plain sends the password in clear: set KAFKA_TLS=true',
    ],
  ])('refuses %j naming the variable', (env, problem) => {
    expect(problems(env)).toEqual([problem]);
  });

  it('refuses a CA file that holds no PEM certificate', () => {
    const notPem = file('ca.der', 'binary');
    expect(problems({ KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: notPem })).toEqual([
      `KAFKA_TLS_CA_FILE: ${notPem} holds no PEM certificate`,
    ]);
  });
});

describe('topicDurabilityOf', () => {
  const durability = (env: Record<string, string>) =>
    topicDurabilityOf(loadConfig(kafkaConfigSpec, { KAFKA_BROKERS: 'b:9093', ...env }));

  it('leaves both settings to the brokers by default (-1)', () => {
    expect(durability({})).toEqual({});
  });

  it('asks for the replicas and in-sync replicas given', () => {
    expect(durability({ KAFKA_TOPIC_REPLICATION_FACTOR: '3', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2' })).toEqual(
      { replicationFactor: 3, minInsyncReplicas: 2 },
    );
  });

  it.each([
    [
      { KAFKA_TOPIC_REPLICATION_FACTOR: '0' },
      "KAFKA_TOPIC_REPLICATION_FACTOR must be -1 (the brokers' default) or at least 1",
    ],
    [
      { KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '0' },
      "KAFKA_TOPIC_MIN_INSYNC_REPLICAS must be -1 (the brokers' default) or at least 1",
    ],
    [
      { KAFKA_TOPIC_REPLICATION_FACTOR: '2', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '3' },
      'KAFKA_TOPIC_MIN_INSYNC_REPLICAS (3) above KAFKA_TOPIC_REPLICATION_FACTOR (2) refuses every write',
    ],
  ])('refuses %j naming the variable', (env, problem) => {
    expect(() => durability(env)).toThrow(expect.objectContaining({ problems: [problem] }));
  });
});
