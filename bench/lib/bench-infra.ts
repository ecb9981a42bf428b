// The infrastructure `npm run bench` started: DATABASE_URL (admin database) and KAFKA_BROKERS, else the local
// ports (deploy/config.env, NQPF_PG_PORT and NQPF_KAFKA_PORT overriding). libs/testing's helpers
// (createTestDatabase, testInfra) are pointed at it too. Imported first, for that effect.
import { localInfra } from '@nqpf/testing';

const local = localInfra();
export const benchDatabaseUrl = process.env.DATABASE_URL ?? local.databaseUrl;
export const benchBrokers = process.env.KAFKA_BROKERS ?? local.kafkaBrokers;
process.env.NQPF_TEST_DATABASE_URL ??= benchDatabaseUrl;
process.env.NQPF_TEST_KAFKA_BROKERS ??= benchBrokers;
