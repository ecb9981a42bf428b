import fs from 'node:fs';
import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { Public, Roles } from '@nqpf/auth';
import { startService, testEnvironment, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
import { baseConfigSpec, loadConfig } from './config';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

@Controller()
class Candidacies {
  @Public() @Post('candidacies/:id/objections') @HttpCode(200) raise(
    @Param('id') id: string,
    @Body() _: object,
  ) {
    return { id };
  }

  @Roles('city_bureau') @Get('candidacies/:id') read(@Param('id') id: string) {
    return { id };
  }
}

@Module({})
class Root {}

const build = (env: NodeJS.ProcessEnv) => ({
  module: Root,
  imports: [PlatformModule.forRoot({ service: 'requestlog', config: loadConfig(baseConfigSpec, env), env })],
  controllers: [Candidacies],
});

/** The service's standard output, as its pods write it (log-destination.ts: synchronous writes to fd 1). */
function capturedStdout(): { lines(): Array<Record<string, unknown>>; restore(): void } {
  const written: string[] = [];
  const writeSync = fs.writeSync;
  const spy = jest.spyOn(fs, 'writeSync').mockImplementation(((
    fd: number,
    data: unknown,
    ...rest: never[]
  ) => {
    if (fd !== 1) return writeSync(fd, data as string, ...rest);
    const text = String(data);
    written.push(text);
    return Buffer.byteLength(text);
  }) as typeof fs.writeSync);
  return {
    lines: () =>
      written
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

describe('the per-request log line', () => {
  let service: ServiceUnderTest;
  let stdout: ReturnType<typeof capturedStdout>;

  beforeAll(async () => {
    const environment = testEnvironment(uniqueName('requestlog'));
    // As production has it (deploy/k8s/base/kustomization.yaml), behind a proxy that forwards the address.
    environment.env = { ...environment.env, LOG_LEVEL: 'info', SECURITY_TRUST_PROXY: 'loopback' };
    service = await startService('requestlog', environment, build);
    stdout = capturedStdout();
  });
  afterAll(async () => {
    stdout?.restore();
    await service?.close();
  });

  /** Sends as a browser behind a proxy would, and gives the request's log line as written. */
  async function loggedLineOf(send: (server: ReturnType<typeof request>) => request.Test, url: string) {
    await send(request(service.app.getHttpServer()))
      .set('User-Agent', 'ZZ-Objector-Browser/1.0')
      .set('X-Forwarded-For', '203.0.113.77')
      .set('Forwarded', 'for=198.51.100.9')
      .expect(200);
    const line = stdout
      .lines()
      .find((l) => l.msg === 'request completed' && (l.req as { url?: string }).url === url);
    expect(line).toBeDefined();
    return line!;
  }

  const NOT_LOGGED = [
    'ZZ-Objector-Browser',
    '203.0.113.77',
    '198.51.100.9',
    '127.0.0.1',
    'user-agent',
    'x-forwarded-for',
  ];

  it("keeps a public objection's method, URL and status, not the client's address, port, browser or body", async () => {
    const url = `/candidacies/${uniqueName('cand')}/objections`;
    const line = await loggedLineOf(
      (server) => server.post(url).send({ objector: { name: '张三丰', contact: '13912345678' } }),
      url,
    );
    expect(line).toMatchObject({
      service: 'requestlog',
      req: { method: 'POST', url },
      res: { statusCode: 200 },
    });
    expect(line.req).not.toHaveProperty('remoteAddress');
    expect(line.req).not.toHaveProperty('remotePort');
    for (const text of [...NOT_LOGGED, '张三丰', '13912345678'])
      expect(JSON.stringify(line)).not.toContain(text);
  });

  it("leaves them out of a signed-in request's line too, token included", async () => {
    const url = `/candidacies/${uniqueName('cand')}`;
    const token = await service.token({ role: 'city_bureau' });
    const line = await loggedLineOf((server) => server.get(url).set('Authorization', `Bearer ${token}`), url);
    expect(line).toMatchObject({ req: { method: 'GET', url }, res: { statusCode: 200 } });
    expect(line.req).not.toHaveProperty('remoteAddress');
    for (const text of [...NOT_LOGGED, token]) expect(JSON.stringify(line)).not.toContain(text);
  });
});
