import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import request from 'supertest';
import {
  startService,
  testEnvironment,
  testSecureKafka,
  uniqueName,
  type ServiceUnderTest,
} from '@nqpf/testing';
import { baseConfigSpec, loadConfig } from './config';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

@Module({})
class Root {}

/** A service configured for TLS + SCRAM (docs/operations.md) reaches the local broker's SASL_SSL listener. */
describe('a service on a Kafka that wants TLS and SCRAM', () => {
  const secure = testSecureKafka();
  const caFile = join(mkdtempSync(join(tmpdir(), 'nqpf-')), 'kafka-ca.pem');
  writeFileSync(caFile, secure.ca);
  let service: ServiceUnderTest | undefined;

  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  async function health(password: string) {
    const environment = testEnvironment(uniqueName('secure'));
    environment.env = {
      ...environment.env,
      KAFKA_BROKERS: secure.brokers,
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: caFile,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: secure.username,
      KAFKA_SASL_PASSWORD: password,
    };
    service = await startService('secure', environment, (env) => ({
      module: Root,
      imports: [PlatformModule.forRoot({ service: 'secure', config: loadConfig(baseConfigSpec, env), env })],
    }));
    return request(service.app.getHttpServer()).get('/health');
  }

  it('is ready, its Kafka client authenticated over TLS', async () => {
    const res = await health(secure.password);
    expect(res.status).toBe(200);
    expect(res.body.checks.kafka).toBe('up');
  });

  it('reports Kafka down, naming the failed authentication, with a wrong password', async () => {
    const res = await health('wrong');
    expect(res.status).toBe(503);
    expect(res.body.checks.kafka).toMatch(/^down: .*authentication failed/);
    // Not ready, but alive: the liveness route checks no dependency.
    await request(service!.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok', live: true });
  });
});
