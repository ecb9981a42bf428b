import net from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { Public, RateLimited, Roles } from '@nqpf/auth';
import { startService, testEnvironment, testInfra, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
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

/**
 * Kafka refusing every connection: a probe is one attempt. Before, each probe's admin connect went on
 * retrying in the background (about 100 s under the client's retry settings), so a kubelet polling every
 * few seconds piled up connect loops for as long as Kafka was down.
 */
describe('a service whose Kafka refuses connections, probed repeatedly', () => {
  let service: ServiceUnderTest;
  let connections = 0;
  let kafkaBack = false;
  // Bootstrap address in front of the test Kafka: refuses while Kafka is "down", then passes through.
  const broker = net.createServer((socket) => {
    connections++;
    if (!kafkaBack) return socket.destroy();
    const [host, port] = testInfra().kafkaBrokers[0]!.split(':');
    const upstream = net.connect(Number(port), host, () => socket.pipe(upstream).pipe(socket));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    const { port } = broker.address() as net.AddressInfo;
    const environment = testEnvironment(uniqueName('health-probes'));
    environment.env = { ...environment.env, KAFKA_BROKERS: `127.0.0.1:${port}` };
    service = await startService('healthprobes', environment, (env) => ({
      module: Root,
      imports: [
        PlatformModule.forRoot({ service: 'healthprobes', config: loadConfig(baseConfigSpec, env), env }),
      ],
    }));
  });
  afterAll(async () => {
    await service?.close();
    broker.close();
  });

  it('leaves no connect attempt running once the probes have answered', async () => {
    for (let i = 0; i < 3; i++) {
      const health = await request(service.app.getHttpServer()).get('/health').expect(503);
      expect(health.body.checks.kafka).toMatch(/^down: /);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const afterProbes = connections;
    expect(afterProbes).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(connections).toBe(afterProbes);
  });

  it('names Kafka up again at the next probe once it answers', async () => {
    kafkaBack = true;
    const health = await request(service.app.getHttpServer()).get('/health').expect(200);
    expect(health.body.checks).toEqual({ database: 'up', kafka: 'up' });
  });
});
