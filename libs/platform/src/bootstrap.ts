import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { applySecurity, loadSecurityConfig } from '@nqpf/auth';
import { securityLog } from './security-log';
import { BaseConfig } from './config';

export interface ServiceDefinition {
  name: string;
  description: string;
  module: DynamicModule;
}

/** Builds a service's Nest application with logs, OpenAPI at /docs and graceful shutdown; does not listen. */
export async function createService(
  def: ServiceDefinition,
  env: NodeJS.ProcessEnv = process.env,
): Promise<INestApplication> {
  const app = await NestFactory.create(def.module, { bufferLogs: true, forceCloseConnections: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  applySecurity(app, loadSecurityConfig(env), securityLog(def.name, env.LOG_LEVEL));
  const doc = new DocumentBuilder()
    .setTitle(`nqpf ${def.name}`)
    .setDescription(def.description)
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
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
