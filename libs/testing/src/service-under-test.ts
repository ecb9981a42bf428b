import type { DynamicModule, INestApplication } from '@nestjs/common';
import { mintDevToken, type DevTokenRequest } from '@nqpf/auth';
import { createService } from '@nqpf/platform';
import { createTestDatabase, testInfra, TestDatabase } from './isolation';

/** Settings shared by the services of one test: its topic prefix and its development identity seed. */
export interface TestEnvironment {
  topicPrefix: string;
  env: NodeJS.ProcessEnv;
}

export function testEnvironment(topicPrefix: string): TestEnvironment {
  return {
    topicPrefix,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      AUTH_DEV_IDENTITY: '1',
      AUTH_DEV_IDENTITY_SEED: `seed-${topicPrefix}`,
      // Tests assert denials and failures themselves; the logs would only bury jest's report.
      LOG_LEVEL: 'error',
      // Tests send many objections from 127.0.0.1; the limit itself is tested with its own value.
      SECURITY_OBJECTION_RATE_LIMIT: '1000',
    },
  };
}

export interface ServiceUnderTest {
  app: INestApplication;
  db: TestDatabase;
  /** A bearer token from the test's development identity. */
  token(request: DevTokenRequest): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts one service in-process on its own fresh database, with the test's topics and identity, the same
 * way its main.ts does (createService: security, filters, OpenAPI).
 */
export async function startService(
  name: string,
  environment: TestEnvironment,
  build: (env: NodeJS.ProcessEnv) => DynamicModule,
): Promise<ServiceUnderTest> {
  const db = await createTestDatabase(name);
  const env: NodeJS.ProcessEnv = { ...environment.env, DATABASE_URL: db.url, PORT: '1' };
  const app = await createService({ name, description: name, module: build(env) }, env);
  await app.init();
  return {
    app,
    db,
    token: (request) => mintDevToken(request, { seed: env.AUTH_DEV_IDENTITY_SEED! }),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
