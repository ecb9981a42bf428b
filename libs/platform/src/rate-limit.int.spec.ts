import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import request from 'supertest';
import { Public } from '@nqpf/auth';
import { startService, testEnvironment, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
import { baseConfigSpec, loadConfig } from './config';
import { createService } from './bootstrap';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

@Controller()
class Notices {
  @Public() @Get('notices') notices() {
    return [];
  }
}

@Module({})
class Root {}

const build = (env: NodeJS.ProcessEnv) => ({
  module: Root,
  imports: [PlatformModule.forRoot({ service: 'ratelimit', config: loadConfig(baseConfigSpec, env), env })],
  controllers: [Notices],
});

/** Two replicas of one service on one database, behind a load balancer that alternates between them. */
describe('rate limits over two replicas, 3 requests a minute', () => {
  let first: ServiceUnderTest;
  let second: INestApplication;

  beforeAll(async () => {
    const environment = testEnvironment(uniqueName('ratelimit'));
    environment.env = { ...environment.env, SECURITY_RATE_LIMIT: '3', SECURITY_RATE_WINDOW_S: '60' };
    first = await startService('ratelimit', environment, build);
    const env = { ...environment.env, DATABASE_URL: first.db.url, PORT: '1' };
    second = await createService({ name: 'ratelimit', description: 'ratelimit', module: build(env) }, env);
    await second.init();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('gives a client the limit once in total, and a 429 with the standard Retry-After header', async () => {
    const replicas = [first.app, second, first.app, second, first.app];
    const answers = [];
    for (const app of replicas) answers.push(await request(app.getHttpServer()).get('/notices'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[0]!.headers['x-ratelimit-limit']).toBe('3');
    const retryAfter = Number(answers[3]!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers[3]!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
  });
});
