import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument, type ServiceDefinition } from '@nqpf/platform';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import { READ_API_VERSION, readApiSchemaObjects } from './read-api.schemas';

/** The registry as main.ts runs it, but its module: name, description, and its OpenAPI document's settings. */
export const REGISTRY_SERVICE: Omit<ServiceDefinition, 'module'> = {
  name: 'registry',
  description:
    'The read side: standing and ledger projections, rebuild, as-of queries, audit trail and replay.',
  openApi: { version: READ_API_VERSION, openapi: '3.1.0', schemas: readApiSchemaObjects() },
};

/** Settings for building the module only: nothing connects (no init), and none of them shapes the routes. */
export const DOCUMENT_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
  KAFKA_BROKERS: '127.0.0.1:1',
  AUTH_DEV_IDENTITY: '1',
  AUTH_DEV_IDENTITY_SEED: 'openapi-document',
  LOG_LEVEL: 'error',
};

/**
 * The registry's OpenAPI document as /docs-json serves it, from the real module created but never
 * initialised: no PostgreSQL or Kafka is reached (pools and clients connect on first use).
 */
export async function buildReadApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(documentModule(), { logger: false });
  try {
    return openApiDocument(app, REGISTRY_SERVICE);
  } finally {
    await app.close();
  }
}

/** The registry's module as main.ts builds it, on DOCUMENT_ENV. */
export const documentModule = () => RegistryModule.forRoot(loadRegistryConfig(DOCUMENT_ENV), DOCUMENT_ENV);
