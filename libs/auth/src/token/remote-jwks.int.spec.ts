import http from 'node:http';
import { AddressInfo } from 'node:net';
import { IdentityKeysUnavailableError, UnauthenticatedError } from '../errors';
import {
  createTestProvider,
  hs256WithPublicKey,
  recordingLogger,
  signToken,
  standardClaims,
} from '../test-support/provider';
import { createTokenVerifier, TokenVerifier } from './token-verifier';

const provider = createTestProvider();
const jwks = {
  keys: [
    { ...provider.rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...provider.ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ],
};
let server: http.Server;
let verifier: TokenVerifier;
let fetches = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    fetches++;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  verifier = createTokenVerifier({
    issuer: provider.issuer,
    audience: provider.audience,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    clockSkewS: 30,
    devIdentity: false,
  });
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('verification against a JWKS URL', () => {
  it('verifies RS256 and ES256 tokens by kid, fetching the key set once', async () => {
    await expect(
      verifier.verify(await signToken(provider, { sub: 'u1' }, { kid: 'rsa-1' })),
    ).resolves.toMatchObject({ sub: 'u1' });
    await expect(
      verifier.verify(await signToken(provider, { sub: 'u2' }, { alg: 'ES256', kid: 'ec-1' })),
    ).resolves.toMatchObject({
      sub: 'u2',
    });
    expect(fetches).toBe(1);
  });

  it('refuses a kid the key set does not hold', async () => {
    await expect(
      verifier.verify(await signToken(provider, { sub: 'u' }, { kid: 'unknown' })),
    ).rejects.toThrow(UnauthenticatedError);
  });

  it('refuses HS256 signed with the published public key', async () => {
    await expect(verifier.verify(hs256WithPublicKey(provider, standardClaims(provider)))).rejects.toThrow(
      'invalid token',
    );
  });

  it('also trusts AUTH_PUBLIC_KEYS given besides the JWKS: a key without kid is tried by its signature', async () => {
    const other = createTestProvider();
    const both = createTokenVerifier({
      issuer: provider.issuer,
      audience: provider.audience,
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      publicKeys: other.publicKeysPem,
      clockSkewS: 30,
      devIdentity: false,
    });
    await expect(both.verify(await signToken(other, { sub: 'static' }))).resolves.toMatchObject({
      sub: 'static',
    });
    await expect(
      both.verify(await signToken(provider, { sub: 'jwks' }, { kid: 'rsa-1' })),
    ).resolves.toMatchObject({ sub: 'jwks' });
    await expect(both.verify(await signToken(other, { sub: 'late' }, { expiresIn: -120 }))).rejects.toThrow(
      'token expired',
    );
    await expect(both.verify(await signToken(provider, { sub: 'u' }, { kid: 'unknown' }))).rejects.toThrow(
      UnauthenticatedError,
    );
  });

  it("tells a key set it cannot read (refused, not 200, not JSON) from a token it has no key for: the provider's failure, not a bad token", async () => {
    const failing = http.createServer((req, res) => {
      if (req.url === '/down') res.writeHead(503).end('maintenance');
      else res.setHeader('Content-Type', 'application/json').end('<html>');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const { port } = failing.address() as AddressInfo;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    try {
      for (const url of [
        `http://127.0.0.1:${port}/down`,
        `http://127.0.0.1:${port}/html`,
        `http://127.0.0.1:${closedPort}/jwks`,
      ]) {
        const logger = recordingLogger();
        const at = createTokenVerifier(
          {
            issuer: provider.issuer,
            audience: provider.audience,
            jwksUrl: url,
            clockSkewS: 30,
            devIdentity: false,
          },
          { logger },
        );
        await expect(at.verify(await signToken(provider, { sub: 'u' }, { kid: 'rsa-1' }))).rejects.toThrow(
          IdentityKeysUnavailableError,
        );
        expect(logger.entries).toEqual([
          expect.objectContaining({ level: 'error', obj: expect.objectContaining({ jwksUrl: url }) }),
        ]);
      }
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});
