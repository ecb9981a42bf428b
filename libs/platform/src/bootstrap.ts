import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SchemaObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { applySecurity, loadSecurityConfig, type RouteBodyLimit } from '@nqpf/auth';
import { securityLog } from './security-log';
import { BaseConfig } from './config';
import { ROUTE_BODY_LIMITS } from './tokens';

export interface ServiceDefinition {
  name: string;
  description: string;
  module: DynamicModule;
  /** What the OpenAPI document says beyond the routes; without it, version '1' in OpenAPI 3.0. */
  openApi?: OpenApiSettings;
}

export interface OpenApiSettings {
  /** The version of the service's HTTP contract (info.version). */
  version: string;
  /** The OpenAPI version the document is written in, e.g. '3.1.0' for JSON Schema 2020-12 schemas. */
  openapi?: string;
  /** Named schemas the routes' responses refer to (#/components/schemas/<name>). */
  schemas?: Record<string, SchemaObject>;
}

/** The service's OpenAPI document as /docs-json serves it; the app need not be initialised. */
export function openApiDocument(
  app: INestApplication,
  def: Omit<ServiceDefinition, 'module'>,
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(`nqpf ${def.name}`)
    .setDescription(def.description)
    .setVersion(def.openApi?.version ?? '1')
    .addBearerAuth();
  if (def.openApi?.openapi) builder.setOpenAPIVersion(def.openApi.openapi);
  const config = builder.build();
  if (def.openApi?.schemas) config.components = { ...config.components, schemas: def.openApi.schemas };
  return SwaggerModule.createDocument(app, config);
}

/** Builds a service's Nest application with logs, OpenAPI at /docs and graceful shutdown; does not listen. */
export async function createService(
  def: ServiceDefinition,
  env: NodeJS.ProcessEnv = process.env,
): Promise<INestApplication> {
  const app = await NestFactory.create(def.module, { bufferLogs: true, forceCloseConnections: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  applySecurity(
    app,
    { ...loadSecurityConfig(env), routeBodyLimits: routeBodyLimitsOf(app) },
    securityLog(def.name, env.LOG_LEVEL),
  );
  SwaggerModule.setup('docs', app, () => openApiDocument(app, def), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}

/** The routes the service's PlatformModule declares to take larger bodies; none without a PlatformModule. */
function routeBodyLimitsOf(app: INestApplication): readonly RouteBodyLimit[] {
  try {
    return app.get<readonly RouteBodyLimit[]>(ROUTE_BODY_LIMITS, { strict: false });
  } catch {
    return [];
  }
}

/**
 * Once a termination signal arrives, exits non-zero after `graceMs` if the process is still there: Nest's
 * shutdown hooks finish the batches in hand and close the pools, but a hook that hangs must not hold a
 * terminated process (or pod) until it is killed.
 */
export function exitAfterGrace(graceMs: number, name: string): () => void {
  const arm = () => {
    setTimeout(() => {
      process.stderr.write(`${name}: still shutting down after ${graceMs} ms (SHUTDOWN_GRACE_MS); exiting\n`);
      process.exit(1);
    }, graceMs).unref();
  };
  process.once('SIGTERM', arm).once('SIGINT', arm);
  return () => process.off('SIGTERM', arm).off('SIGINT', arm);
}

/** Entry point of a service process: build, listen, and exit non-zero (naming the cause) if start fails. */
export async function runService(def: ServiceDefinition & { config: BaseConfig }): Promise<void> {
  try {
    const app = await createService(def);
    await app.listen(def.config.PORT, def.config.HOST);
    // After start: a signal during start-up still ends the process at once.
    exitAfterGrace(def.config.SHUTDOWN_GRACE_MS, def.name);
    app
      .get(Logger)
      .log(`${def.name} listening on http://${def.config.HOST}:${def.config.PORT} (docs at /docs)`);
  } catch (err) {
    process.stderr.write(`${def.name} failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
