import {
  dockerEngineAnswers,
  localInfra,
  localSecureKafka,
  runInfraScript,
  TestInfra,
} from '../infrastructure';
import { pruneStaleTestTopics } from './stale-test-topics';

/**
 * Chooses the test infrastructure, in order: URLs from the environment; Testcontainers when a Docker
 * engine answers; otherwise the project's local PostgreSQL and Kafka, started here and stopped in teardown
 * (unless they were already running, e.g. under `npm start`). NQPF_TEST_KAFKA_SECURE (JSON, SecureKafka)
 * names a TLS + SCRAM listener for the Kafka security tests.
 */
export default async function globalSetup(): Promise<void> {
  let infra: TestInfra;
  if (process.env.DATABASE_URL && process.env.KAFKA_BROKERS) {
    infra = {
      source: 'environment',
      databaseUrl: process.env.DATABASE_URL,
      kafkaBrokers: process.env.KAFKA_BROKERS,
    };
  } else if (process.env.NQPF_TEST_NO_DOCKER !== '1' && dockerEngineAnswers()) {
    infra = await startContainers();
  } else {
    const alreadyRunning = runInfraScript('status');
    if (!alreadyRunning && !runInfraScript('start'))
      throw new Error('could not start local PostgreSQL and Kafka');
    process.env.NQPF_TEST_STOP_LOCAL = alreadyRunning ? '0' : '1';
    infra = localInfra();
    // Housekeeping only: a prune that fails (another run pruning the same topics) must not fail the run.
    if (alreadyRunning)
      await pruneStaleTestTopics(infra.kafkaBrokers).catch((err: Error) =>
        console.warn(`[nqpf] could not prune old test topics: ${err.message}`),
      );
    // Only the local broker has the TLS + SCRAM listener; elsewhere NQPF_TEST_KAFKA_SECURE may name one.
    const secure = localSecureKafka();
    if (secure) process.env.NQPF_TEST_KAFKA_SECURE = JSON.stringify(secure);
  }
  process.env.NQPF_TEST_DATABASE_URL = infra.databaseUrl;
  process.env.NQPF_TEST_KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.NQPF_TEST_INFRA = infra.source;
}

async function startContainers(): Promise<TestInfra> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [pg, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:15').withUsername('postgres').withPassword('postgres').start(),
    new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().start(),
  ]);
  (globalThis as Record<string, unknown>).__nqpfContainers = [pg, kafka];
  return {
    source: 'testcontainers',
    databaseUrl: pg.getConnectionUri(),
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
  };
}
