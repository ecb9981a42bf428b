// libs/testing's helpers (createTestDatabase, testInfra) against the infrastructure `npm run bench` started:
// DATABASE_URL and KAFKA_BROKERS, else the development ports. Imported first, for its effect.
process.env.NQPF_TEST_DATABASE_URL ??=
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
process.env.NQPF_TEST_KAFKA_BROKERS ??= process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';

export {};
