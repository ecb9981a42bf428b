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

/** Entry point of a service process: build, listen, and exit non-zero (naming the cause) if start fails. */
export async function runService(def: ServiceDefinition & { config: BaseConfig }): Promise<void> {
  try {
    const app = await createService(def);
    await app.listen(def.config.PORT, def.config.HOST);
    app
      .get(Logger)
      .log(`${def.name} listening on http://${def.config.HOST}:${def.config.PORT} (docs at /docs)`);
  } catch (err) {
    process.stderr.write(`${def.name} failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
