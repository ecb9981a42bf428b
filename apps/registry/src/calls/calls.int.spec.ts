import request from 'supertest';
import { startService, ServiceUnderTest, testEnvironment, uniqueName } from '@nqpf/testing';
import { loadRegistryConfig } from '../config';
import { RegistryModule } from '../registry.module';
import { conforming } from '../read-api/testing/answers';

/** GET /calls is public, hence rate limited (libs/auth RateLimitGuard): its 429 as the read API documents it. */
describe('calls: the public list and its rate limit', () => {
  const environment = testEnvironment(uniqueName('calls'));
  environment.env = { ...environment.env, SECURITY_RATE_LIMIT: '3' };
  let registry: ServiceUnderTest;

  beforeAll(async () => {
    registry = await startService('registry', environment, (env) =>
      RegistryModule.forRoot(loadRegistryConfig(env), env),
    );
  });
  afterAll(async () => {
    await registry?.close();
  });

  const get = async (path: string, token?: string) => {
    const req = request(registry.app.getHttpServer()).get(path);
    return conforming(await (token ? req.set('authorization', `Bearer ${token}`) : req));
  };

  it('answers a caller past SECURITY_RATE_LIMIT 429 with Retry-After and an ErrorBody', async () => {
    for (let i = 0; i < 3; i++) expect((await get('/calls?year=2026')).status).toBe(200);
    const refused = await get('/calls?year=2026');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'ThrottlerException: Too Many Requests',
    });
    // Counted per caller: another one (a token's user) still gets the list.
    const bureau = await registry.token({ role: 'city_bureau' });
    expect((await get('/calls', bureau)).status).toBe(200);
  });

  it("answers a GET whose If-None-Match names the answer's ETag 304, as documented; a CSV export has no ETag", async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    for (const path of ['/standing?limit=1', '/ledger/summary', '/ledger?limit=1']) {
      const first = await get(path, bureau);
      expect([path, first.status, first.headers['etag']]).toEqual([path, 200, expect.stringMatching(/^W\//)]);
      const again = await conforming(
        await request(registry.app.getHttpServer())
          .get(path)
          .set('authorization', `Bearer ${bureau}`)
          .set('if-none-match', first.headers['etag'] as string),
      );
      expect([path, again.status, again.text]).toEqual([path, 304, '']);
    }
    const csv = await get('/standing.csv', bureau);
    expect([csv.status, csv.headers['etag']]).toEqual([200, undefined]);
  });

  it('does not limit the routes that need a token', async () => {
    const bureau = await registry.token({ role: 'city_bureau' });
    for (let i = 0; i < 5; i++) expect((await get('/standing?limit=1', bureau)).status).toBe(200);
  });
});
