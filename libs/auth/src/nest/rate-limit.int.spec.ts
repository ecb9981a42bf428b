import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintDevToken } from '../dev-identity/mint-dev-token';
import { recordingLogger } from '../test-support/provider';
import { buildTestApp } from '../test-support/test-app';

const DEV = { seed: 'rate-limit-spec' };
let app: INestApplication;

beforeAll(async () => {
  app = await buildTestApp({ clockSkewS: 30, devIdentity: DEV, nodeEnv: 'test' }, recordingLogger(), {
    rateLimit: { limit: 3, windowS: 60 },
    trustProxy: true,
  });
});
afterAll(() => app.close());

const statuses = async (times: number, send: () => request.Test) => {
  const result: number[] = [];
  for (let i = 0; i < times; i++) result.push((await send()).status);
  return result;
};
const fromIp = (ip: string, path = '/published-list') =>
  request(app.getHttpServer()).get(path).set('X-Forwarded-For', ip);

describe('rate limits', () => {
  it('throttles a public route per client IP (behind a trusted proxy) with a JSON 429', async () => {
    expect(await statuses(4, () => fromIp('203.0.113.1'))).toEqual([200, 200, 200, 429]);
    const refused = await fromIp('203.0.113.1');
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await statuses(1, () => fromIp('203.0.113.2'))).toEqual([200]);
  });

  it('counts an IPv6 client by its /64 (one host controls the whole block)', async () => {
    const addresses = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3', '2001:db8:1:2::4'];
    let i = 0;
    expect(await statuses(4, () => fromIp(addresses[i++]!))).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, () => fromIp('2001:db8:1:3::1'))).toEqual([200]);
  });

  it('keys a public route by user when the caller sends a valid token, whatever its IP', async () => {
    const alice = await mintDevToken({ role: 'expert', sub: 'alice' }, DEV);
    const bob = await mintDevToken({ role: 'expert', sub: 'bob' }, DEV);
    let n = 0;
    const as = (token: string, ip: string) => fromIp(ip).set('Authorization', `Bearer ${token}`);
    expect(await statuses(4, () => as(alice, `198.51.100.${++n}`))).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, () => as(bob, '198.51.100.250'))).toEqual([200]);
  });

  it('never limits routes marked @SkipRateLimit() (the operational ones), public or with a token', async () => {
    const ip = '203.0.113.9';
    // A limited route announces its budget; an exempt one does not count the request at all.
    expect((await fromIp('203.0.113.10')).headers['x-ratelimit-limit']).toBe('3');
    for (const path of ['/health', '/health/live', '/metrics']) {
      const res = await statuses(20, () => fromIp(ip, path));
      expect({ path, statuses: [...new Set(res)] }).toEqual({ path, statuses: [200] });
      const probe = await fromIp(ip, path).expect(200);
      expect(probe.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const token = await mintDevToken({ role: 'auditor', sub: 'dave' }, DEV);
    const withToken = () => fromIp(ip, '/health').set('Authorization', `Bearer ${token}`);
    expect([...new Set(await statuses(10, withToken))]).toEqual([200]);
    // The same client is still limited everywhere else: a public route, and an authenticated @RateLimited one.
    expect(await statuses(4, () => fromIp(ip))).toEqual([200, 200, 200, 429]);
    const bureau = await mintDevToken({ role: 'city_bureau', sub: 'erin' }, DEV);
    const exports = () => fromIp(ip, '/exports').set('Authorization', `Bearer ${bureau}`);
    expect(await statuses(4, exports)).toEqual([200, 200, 200, 429]);
  });

  it('leaves authenticated routes alone unless marked @RateLimited', async () => {
    const token = await mintDevToken({ role: 'city_bureau', sub: 'carol' }, DEV);
    const whoami = () => fromIp('192.0.2.1', '/whoami').set('Authorization', `Bearer ${token}`);
    expect(await statuses(5, whoami)).toEqual([200, 200, 200, 200, 200]);
    const exports = () => fromIp('192.0.2.1', '/exports').set('Authorization', `Bearer ${token}`);
    expect(await statuses(4, exports)).toEqual([200, 200, 200, 429]);
  });
});
