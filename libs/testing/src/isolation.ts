import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createKafka, createTopics } from '@nqpf/messaging';
import type { SecureKafka } from './infrastructure';

/** Connection settings chosen by the jest global setup. */
export function testInfra(): { databaseUrl: string; kafkaBrokers: string[] } {
  const databaseUrl = process.env.NQPF_TEST_DATABASE_URL;
  const brokers = process.env.NQPF_TEST_KAFKA_BROKERS;
  if (!databaseUrl || !brokers)
    throw new Error('test infrastructure not set up: run tests through jest (global setup)');
  return { databaseUrl, kafkaBrokers: brokers.split(',') };
}

/**
 * The broker listener that wants TLS and SCRAM (the local broker has one; with other infrastructure set
 * NQPF_TEST_KAFKA_SECURE); the Kafka security tests fail, naming the variable, when there is none.
 */
export function testSecureKafka(): SecureKafka {
  const json = process.env.NQPF_TEST_KAFKA_SECURE;
  if (!json)
    throw new Error(
      'no TLS + SCRAM Kafka listener: the local broker has one (NQPF_KAFKA_SECURE_PORT) once restarted ' +
        '(npm run infra -- stop, then start); with other infrastructure set NQPF_TEST_KAFKA_SECURE to ' +
        '{"brokers","ca","username","password"}',
    );
  return JSON.parse(json) as SecureKafka;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh database of its own for one test file, so suites never see each other's rows. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = testInfra().databaseUrl;
  const name = uniqueName(prefix).toLowerCase();
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = withDatabase(admin, name);
  const pool = new Pool({ connectionString: url, max: 10 });
  // drop() terminates whatever connection a test left open (a lease, a LISTEN); that is expected, not a failure.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Topics of its own for one test, created with the given partitions. */
export async function createTestTopics(names: string[], partitions = 3): Promise<void> {
  await createTopics(createKafka('nqpf-test-admin', testInfra().kafkaBrokers), names, partitions);
}

/** Polls until the check passes or the time runs out; for effects that arrive asynchronously over Kafka. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 20000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
