import { generateKeyPairSync } from 'node:crypto';
import { parsePublicKeys } from './parse-public-keys';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pemOf = (k: typeof rsa.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();

describe('parsePublicKeys', () => {
  it('reads PEM blocks, pinning each key to its algorithm', () => {
    const keys = parsePublicKeys(pemOf(rsa.publicKey) + pemOf(ec.publicKey));
    expect(keys.map((k) => k.alg)).toEqual(['RS256', 'ES256']);
  });

  it('reads PEM with literal \\n as env files carry it', () => {
    expect(parsePublicKeys(pemOf(ec.publicKey).replace(/\n/g, '\\n'))).toHaveLength(1);
  });

  it('reads a JWKS, keeping key ids', () => {
    const jwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'k1' };
    expect(parsePublicKeys(JSON.stringify({ keys: [jwk] }))).toEqual([
      { key: expect.anything(), alg: 'ES256', kid: 'k1' },
    ]);
  });

  it('refuses symmetric, private, weak and other-curve keys', () => {
    expect(() => parsePublicKeys('{"kty":"oct","k":"c2VjcmV0"}')).toThrow(/symmetric keys are refused/);
    expect(() => parsePublicKeys(JSON.stringify(ec.privateKey.export({ format: 'jwk' })))).toThrow(
      /a private key/,
    );
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => parsePublicKeys(pemOf(weak))).toThrow(/at least 2048 bits/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
    expect(() => parsePublicKeys(pemOf(p384))).toThrow(/only RSA \(RS256\) and P-256 \(ES256\)/);
  });
});
