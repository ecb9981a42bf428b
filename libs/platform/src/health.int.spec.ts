import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Public, RateLimited, Roles } from '@nqpf/auth';
import { startService, testEnvironment, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
import { baseConfigSpec, loadConfig } from './config';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

/** Routes a service might have next to the operational ones: both stay rate-limited. */
@Controller()
class Neighbours {
  @Public() @Get('notices') notices() {
    return [];
  }
  @Roles('city_bureau') @RateLimited() @Get('exports') exports() {
    return [];
  }
}

@Module({})
class Root {}

/**
 * The operational routes of a real PlatformModule (HealthController, MetricsController) on a service whose
 * PostgreSQL is unreachable, with a rate limit of 3 requests a minute.
 */
describe('a service whose database is down, rate limit 3 a minute', () => {
  let service: ServiceUnderTest;
  const http = () => request(service.app.getHttpServer());
  const statuses = async (times: number, send: () => request.Test) => {
    const result: number[] = [];
    for (let i = 0; i < times; i++) result.push((await send()).status);
    return result;
  };

  beforeAll(async () => {
    const environment = testEnvironment(uniqueName('health'));
    environment.env = { ...environment.env, SECURITY_RATE_LIMIT: '3', SECURITY_RATE_WINDOW_S: '60' };
    service = await startService('health', environment, (env) => ({
      module: Root,
      imports: [
        PlatformModule.forRoot({
          service: 'health',
          // Nothing listens on port 1: every connection is refused at once.
          config: loadConfig(baseConfigSpec, { ...env, DATABASE_URL: 'postgres://nqpf@127.0.0.1:1/nqpf' }),
          env,
        }),
      ],
      controllers: [Neighbours],
    }));
  });
  afterAll(async () => service?.close());

  it('is not ready on GET /health or /health/ready (503, the database named) but live on GET /health/live', async () => {
    const health = await http().get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'unavailable', live: true, ready: false });
    expect(health.body.checks.database).toMatch(/^down: /);
    const ready = await http().get('/health/ready').expect(503);
    expect(ready.body.checks.database).toMatch(/^down: /);
    const live = await http().get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok', live: true });
  });

  it('never answers 429 on /health, /health/live or /metrics, however often they are polled', async () => {
    expect([...new Set(await statuses(15, () => http().get('/health')))]).toEqual([503]);
    expect([...new Set(await statuses(15, () => http().get('/health/live')))]).toEqual([200]);
    expect([...new Set(await statuses(15, () => http().get('/metrics')))]).toEqual([200]);
    const token = await service.token({ role: 'city_bureau' });
    const withToken = () => http().get('/health/live').set('Authorization', `Bearer ${token}`);
    expect([...new Set(await statuses(10, withToken))]).toEqual([200]);
  });

  it('still limits every other public route, and authenticated @RateLimited ones, past the limit', async () => {
    expect(await statuses(4, () => http().get('/notices'))).toEqual([200, 200, 200, 429]);
    const token = await service.token({ role: 'city_bureau' });
    const exports = () => http().get('/exports').set('Authorization', `Bearer ${token}`);
    expect(await statuses(4, exports)).toEqual([200, 200, 200, 429]);
  });

  it('documents GET /health/live in OpenAPI next to GET /health', async () => {
    const docs = await http().get('/docs-json').expect(200);
    expect(docs.body.paths['/health'].get.responses).toHaveProperty('200');
    expect(docs.body.paths['/health/live'].get).toMatchObject({
      tags: ['operations'],
      responses: {
        200: { content: { 'application/json': { schema: { example: { status: 'ok', live: true } } } } },
      },
    });
  });
});

/** Kafka down, the database up: the replica still serves (writes go to the outbox), and says what is down. */
describe('a service whose Kafka is down', () => {
  let service: ServiceUnderTest;

  beforeAll(async () => {
    const environment = testEnvironment(uniqueName('health-kafka'));
    environment.env = { ...environment.env, KAFKA_BROKERS: '127.0.0.1:1' };
    service = await startService('healthkafka', environment, (env) => ({
      module: Root,
      imports: [
        PlatformModule.forRoot({ service: 'healthkafka', config: loadConfig(baseConfigSpec, env), env }),
      ],
    }));
  });
  afterAll(async () => service?.close());

  it('is ready on GET /health/ready, and GET /health names Kafka as down', async () => {
    const ready = await request(service.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', ready: true, checks: { database: 'up' } });
    expect(ready.body.checks.kafka).toMatch(/^down: /);
    await request(service.app.getHttpServer()).get('/health').expect(503);
  });
});
