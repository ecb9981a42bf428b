import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { localPort } from '@nqpf/platform';

/** Where the test infrastructure came from, so teardown only stops what setup started. */
export type InfraSource = 'environment' | 'testcontainers' | 'local';

export interface TestInfra {
  source: InfraSource;
  databaseUrl: string;
  kafkaBrokers: string;
}

export const repoRoot = path.resolve(__dirname, '../../..');

function readConfig(): Record<string, string> {
  const text = fs.readFileSync(path.join(repoRoot, 'deploy/config.env'), 'utf8');
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('=') as [string, string]);
  return { ...Object.fromEntries(entries), ...(process.env as Record<string, string>) };
}

export const localConfig = readConfig();

/**
 * The local PostgreSQL and Kafka, their ports as libs/platform's localPort reads them (the environment, else
 * the ports the running stack recorded, else deploy/config.env): CI's NQPF_*_PORT still win.
 */
export function localInfra(): TestInfra {
  return {
    source: 'local',
    databaseUrl: `postgres://postgres@127.0.0.1:${localPort('NQPF_PG_PORT')}/postgres`,
    kafkaBrokers: `127.0.0.1:${localPort('NQPF_KAFKA_PORT')}`,
  };
}

/** A broker listener that wants TLS (trusting `ca`) and SCRAM-SHA-512 as `username`. */
export interface SecureKafka {
  brokers: string;
  ca: string;
  username: string;
  password: string;
}

/** The local broker's SASL_SSL listener (deploy/local/kafka.sh), unless NQPF_KAFKA_SECURE_PORT is 0. */
export function localSecureKafka(): SecureKafka | undefined {
  const port = localPort('NQPF_KAFKA_SECURE_PORT');
  if (!port || port === '0') return undefined;
  const tls = path.join(localConfig.NQPF_LOCAL || path.join(repoRoot, '.local'), 'kafka', 'tls');
  // A broker started by an older checkout has no such listener until it is restarted.
  if (!fs.existsSync(path.join(tls, 'sasl-password'))) return undefined;
  return {
    brokers: `127.0.0.1:${port}`,
    ca: fs.readFileSync(path.join(tls, 'ca.pem'), 'utf8'),
    username: 'nqpf-local',
    password: fs.readFileSync(path.join(tls, 'sasl-password'), 'utf8').trim(),
  };
}

export function runInfraScript(command: 'start' | 'stop' | 'status'): boolean {
  try {
    execFileSync('bash', [path.join(repoRoot, 'deploy/local/infra.sh'), command], {
      stdio: command === 'status' ? 'ignore' : 'inherit',
    });
    return true;
  } catch {
    return false;
  }
}

export function dockerEngineAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
