import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { SignJWT } from 'jose';
import request from 'supertest';
import { Roles } from '@nqpf/auth';
import { startService, testEnvironment, uniqueName, type ServiceUnderTest } from '@nqpf/testing';
import { baseConfigSpec, loadConfig } from './config';
import { PlatformModule } from './platform.module';

jest.setTimeout(60000);

@Controller()
class Whoami {
  @Roles('city_bureau') @Get('whoami') whoami() {
    return { ok: true };
  }
}

@Module({})
class Root {}

/**
 * A service trusting a provider's JWKS (AUTH_JWKS_URL, a 1 s cache) whose key set endpoint goes down: the
 * tokens it signed still pass, /health names the failing reads, /health/ready stays 200, and the metrics
 * carry it.
 */
describe('a service whose identity provider key set cannot be read', () => {
  const issuer = 'https://idp.test/realms/nqpf';
  const audience = 'nqpf-api';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let up = true;
  const provider = http.createServer((_req, res) => {
    if (!up) return void res.writeHead(503).end('maintenance');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' }] }));
  });
  let service: ServiceUnderTest;
  let jwksUrl: string;
  const api = () => request(service.app.getHttpServer());
  const token = () =>
    new SignJWT({ roles: ['city_bureau'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('official-1')
      .setExpirationTime('5m')
      .sign(privateKey);

  beforeAll(async () => {
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/jwks`;
    const environment = testEnvironment(uniqueName('idkeys'));
    environment.env = {
      ...environment.env,
      AUTH_DEV_IDENTITY: '0',
      AUTH_JWKS_URL: jwksUrl,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      AUTH_JWKS_CACHE_S: '1',
    };
    service = await startService('idkeys', environment, (env) => ({
      module: Root,
      imports: [PlatformModule.forRoot({ service: 'idkeys', config: loadConfig(baseConfigSpec, env), env })],
      controllers: [Whoami],
    }));
  });
  afterAll(async () => {
    await service?.close();
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
  });

  it('keeps serving tokens of the keys last read, and reports the failing reads without gating traffic', async () => {
    await api()
      .get('/whoami')
      .set('Authorization', `Bearer ${await token()}`)
      .expect(200);
    expect((await api().get('/health').expect(200)).body.checks.identity_keys).toBe('up');
    up = false;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await api()
      .get('/whoami')
      .set('Authorization', `Bearer ${await token()}`)
      .expect(200);
    const health = await api().get('/health').expect(503);
    expect(health.body.checks.identity_keys).toMatch(
      new RegExp(
        `^down: ${jwksUrl} not read since .* \\(HTTP 503 instead of 200\\); verifying with the set read \\d+ s ago$`,
      ),
    );
    const ready = await api().get('/health/ready').expect(200);
    expect(ready.body.checks.identity_keys).toMatch(/^down: /);
    const metrics = (await api().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^nqpf_identity_keys_refresh_failing 1$/m);
    expect(metrics).toMatch(/^nqpf_identity_keys_age_seconds [1-9]\d*$/m);
  });
});
