import { generateKeyPairSync, KeyObject } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { IdentityKeysUnavailableError, UnauthenticatedError } from '../errors';
import { createTestProvider, recordingLogger, signToken } from '../test-support/provider';
import { createTokenVerifier, TokenVerifier } from './token-verifier';

/**
 * The key set's cache against a provider whose keys and health the spec controls: rotation (a new kid is
 * fetched at once, a removed key is dropped after AUTH_JWKS_CACHE_S) and outages (the last set read is
 * served while the provider fails, for AUTH_JWKS_STALE_S). Cache ages are moved with a Date.now spy;
 * tokens' exp is checked on the real time (jose reads `new Date()`).
 */
const provider = createTestProvider();
const k2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (key: KeyObject, kid: string) => ({
  ...key.export({ format: 'jwk' }),
  kid,
  alg: 'RS256',
  use: 'sig',
});
const K1 = jwk(provider.rsa.publicKey, 'k1');
const K2 = jwk(k2.publicKey, 'k2');

type Mode = 'ok' | 'down' | 'hang';
let server: http.Server;
let url: string;
let keys: object[];
let mode: Mode;
/** Answers this many reads with 503 before answering as mode says (a blip). */
let failNext: number;
let fetches: number;
let offsetMs: number;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    fetches++;
    if (failNext > 0) return void (failNext--, res.writeHead(503).end('blip'));
    if (mode === 'hang') return; // accepted, never answered
    if (mode === 'down') return void res.writeHead(503).end('maintenance');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const realNow = Date.now.bind(Date);
beforeEach(() => {
  keys = [K1];
  mode = 'ok';
  failNext = 0;
  fetches = 0;
  offsetMs = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
});
afterEach(() => {
  for (const v of made.splice(0)) v.close?.();
  jest.restoreAllMocks();
  server.closeAllConnections();
});

const later = (seconds: number) => void (offsetMs += seconds * 1000);

const made: TokenVerifier[] = [];

function verifier(overrides: Record<string, number> = {}, logger = recordingLogger()) {
  const v = createTokenVerifier(
    {
      issuer: provider.issuer,
      audience: provider.audience,
      jwksUrl: url,
      clockSkewS: 30,
      devIdentity: false,
      jwksCacheS: 300,
      jwksStaleS: 3600,
      jwksCooldownS: 5,
      ...overrides,
    },
    { logger },
  );
  made.push(v);
  return v;
}

const withK1 = (sub = 'u1') => signToken(provider, { sub }, { kid: 'k1' });
const withK2 = (sub = 'u2') => signToken(provider, { sub }, { kid: 'k2', key: k2.privateKey });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const start = realNow();
  const [result] = await Promise.allSettled([work]);
  return { ms: realNow() - start, result };
}

describe('key rotation at the provider (A1)', () => {
  it('refetches at once for a kid the cached set lacks, even right after a fetch', async () => {
    const v = verifier();
    await expect(v.verify(await withK1())).resolves.toMatchObject({ sub: 'u1' });
    keys = [K1, K2];
    later(1);
    await expect(v.verify(await withK2())).resolves.toMatchObject({ sub: 'u2' });
    expect(fetches).toBe(2);
  });

  it('refetches for unknown kids at most once per AUTH_JWKS_COOLDOWN_S (a flood of made-up kids)', async () => {
    const v = verifier();
    await v.verify(await withK1());
    const made = (kid: string) => signToken(provider, { sub: 'x' }, { kid });
    await expect(v.verify(await made('nope-1'))).rejects.toThrow(UnauthenticatedError);
    await expect(v.verify(await made('nope-2'))).rejects.toThrow(UnauthenticatedError);
    expect(fetches).toBe(2);
    later(6);
    await expect(v.verify(await made('nope-3'))).rejects.toThrow(UnauthenticatedError);
    expect(fetches).toBe(3);
  });

  it('stops trusting a key the provider removed once AUTH_JWKS_CACHE_S has passed', async () => {
    const v = verifier({ jwksCacheS: 120 });
    await v.verify(await withK1());
    keys = [K2];
    later(119);
    await expect(v.verify(await withK1())).resolves.toMatchObject({ sub: 'u1' });
    expect(fetches).toBe(1);
    later(2);
    await expect(v.verify(await withK1())).rejects.toThrow(UnauthenticatedError);
    // The read for the set's age, then one more for k1 as for any kid it lacks.
    expect(fetches).toBe(3);
    await expect(v.verify(await withK2())).resolves.toMatchObject({ sub: 'u2' });
  });
});

describe('an outage of the provider (A2)', () => {
  it('keeps verifying with the last key set read, logs the failing refresh and reports it', async () => {
    const logger = recordingLogger();
    const v = verifier({ jwksCooldownS: 1 }, logger);
    await v.verify(await withK1());
    mode = 'down';
    later(11 * 60);
    await expect(v.verify(await withK1())).resolves.toMatchObject({ sub: 'u1' });
    const logged = logger.entries.find(
      (e) => (e.obj as { event?: string }).event === 'identity_keys_refresh_failed',
    );
    expect(logged).toMatchObject({ level: 'warn', obj: { jwksUrl: url } });
    expect(JSON.stringify(logged)).toContain('503');
    expect(v.keySetStatus?.()).toMatchObject({
      jwksUrl: url,
      failing: true,
      ageS: 660,
      lastError: expect.stringContaining('503'),
    });
    // Back: the next try (a cooldown later, in the background) reads the set again and the report clears.
    mode = 'ok';
    keys = [K2];
    for (let i = 0; i < 100 && v.keySetStatus?.().failing !== false; i++) await sleep(20);
    expect(v.keySetStatus?.()).toEqual({ jwksUrl: url, failing: false, ageS: 0 });
    await expect(v.verify(await withK2())).resolves.toMatchObject({ sub: 'u2' });
    await expect(v.verify(await withK1())).rejects.toThrow(UnauthenticatedError);
    expect(logger.entries.map((e) => (e.obj as { event?: string }).event)).toContain(
      'identity_keys_refreshed',
    );
  });

  it('holds no request the whole fetch timeout but the first while the provider hangs', async () => {
    const v = verifier();
    await v.verify(await withK1());
    mode = 'hang';
    later(11 * 60);
    const first = await timed(v.verify(await withK1()));
    expect(first.result).toMatchObject({ status: 'fulfilled', value: { sub: 'u1' } });
    for (const sub of ['u2', 'u3', 'u4']) {
      const next = await timed(v.verify(await withK1(sub)));
      expect(next.result).toMatchObject({ status: 'fulfilled', value: { sub } });
      expect(next.ms).toBeLessThan(500);
    }
  }, 20_000);

  it('answers 503 once the last set read is older than AUTH_JWKS_STALE_S, without waiting on the provider', async () => {
    const v = verifier({ jwksStaleS: 600 });
    await v.verify(await withK1());
    mode = 'hang';
    later(300 + 600 + 1);
    await expect(v.verify(await withK1())).rejects.toThrow(IdentityKeysUnavailableError);
    const next = await timed(v.verify(await withK1()));
    expect(next.result).toMatchObject({
      status: 'rejected',
      reason: expect.any(IdentityKeysUnavailableError),
    });
    expect(next.ms).toBeLessThan(500);
  }, 20_000);

  it('answers a kid the last set lacks with 503 while the provider fails: the token was not judged', async () => {
    const v = verifier();
    await v.verify(await withK1());
    mode = 'down';
    later(301);
    await expect(v.verify(await withK1())).resolves.toMatchObject({ sub: 'u1' });
    await expect(v.verify(await withK2())).rejects.toThrow(IdentityKeysUnavailableError);
  });

  it('without any set read yet, a hanging provider holds one request, not each', async () => {
    mode = 'hang';
    const v = verifier();
    const first = await timed(v.verify(await withK1()));
    expect(first.result).toMatchObject({
      status: 'rejected',
      reason: expect.any(IdentityKeysUnavailableError),
    });
    const next = await timed(v.verify(await withK1()));
    expect(next.result).toMatchObject({
      status: 'rejected',
      reason: expect.any(IdentityKeysUnavailableError),
    });
    expect(next.ms).toBeLessThan(500);
  }, 20_000);
});

describe('a failed read, then the provider answers again (A2)', () => {
  /** A token with a kid the set lacks, met while the provider answers 503 once: the read fails. */
  async function blip(v: TokenVerifier) {
    await v.verify(await withK1());
    failNext = 1;
    await expect(v.verify(await withK2())).rejects.toThrow(IdentityKeysUnavailableError);
    expect(v.keySetStatus?.()).toMatchObject({ failing: true });
  }

  it('retries in the background, without requests, and reports the set read as soon as it is', async () => {
    const v = verifier({ jwksCooldownS: 1 });
    await blip(v);
    expect(fetches).toBe(2);
    for (let i = 0; i < 150 && v.keySetStatus?.().failing !== false; i++) await sleep(20);
    expect(v.keySetStatus?.()).toEqual({ jwksUrl: url, failing: false, ageS: 0 });
    expect(fetches).toBe(3);
  });

  it('refuses a key removed at the provider after a quiet period, though a read failed before it', async () => {
    const v = verifier({ jwksStaleS: 86_400 });
    await blip(v);
    later(2 * 3600);
    keys = [K2];
    await expect(v.verify(await withK1())).rejects.toThrow(UnauthenticatedError);
    expect(v.keySetStatus?.()).toMatchObject({ failing: false });
    await expect(v.verify(await withK2())).resolves.toMatchObject({ sub: 'u2' });
  });

  it('tries at most once per AUTH_JWKS_COOLDOWN_S while reads fail, and no more once closed', async () => {
    const v = verifier({ jwksCooldownS: 1 });
    await v.verify(await withK1());
    mode = 'down';
    later(301);
    await expect(v.verify(await withK1())).resolves.toMatchObject({ sub: 'u1' });
    expect(fetches).toBe(2);
    await sleep(2500);
    expect(fetches).toBeGreaterThanOrEqual(3);
    expect(fetches).toBeLessThanOrEqual(4);
    v.close?.();
    const atClose = fetches;
    await sleep(1500);
    expect(fetches).toBe(atClose);
  }, 20_000);
});
