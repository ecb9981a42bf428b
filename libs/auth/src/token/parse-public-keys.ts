import { createPublicKey, KeyObject } from 'node:crypto';
import { AuthConfigError } from '../errors';

export type PinnedAlgorithm = 'RS256' | 'ES256';
export const PINNED_ALGORITHMS: readonly PinnedAlgorithm[] = ['RS256', 'ES256'];

/** A public key we trust, with the one algorithm it may verify (so HS/RS confusion has nowhere to go). */
export interface TrustedKey {
  key: KeyObject;
  alg: PinnedAlgorithm;
  kid?: string;
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/**
 * AUTH_PUBLIC_KEYS: one or more PEM (SPKI) blocks, a JWK, a JSON array of JWKs, or a JWKS ({"keys": [...]}).
 * Literal `\n` (as env files often carry PEM) is read as a newline. Only RSA (≥ 2048 bits) and P-256 public
 * keys are accepted.
 */
export function parsePublicKeys(text: string): TrustedKey[] {
  const source = text.replace(/\\n/g, '\n').trim();
  if (!source) throw new AuthConfigError('AUTH_PUBLIC_KEYS is empty');
  const keys = source.startsWith('{') || source.startsWith('[') ? fromJson(source) : fromPem(source);
  if (keys.length === 0) throw new AuthConfigError('AUTH_PUBLIC_KEYS holds no public key');
  return keys;
}

function fromPem(source: string): TrustedKey[] {
  const blocks = source.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new AuthConfigError(
      'AUTH_PUBLIC_KEYS must be PEM "-----BEGIN PUBLIC KEY-----" blocks or JSON (JWK, JWK array or JWKS)',
    );
  }
  return blocks.map((pem, i) => trusted(() => createPublicKey(pem), i));
}

function fromJson(source: string): TrustedKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw new AuthConfigError('AUTH_PUBLIC_KEYS looks like JSON but does not parse');
  }
  const list = Array.isArray(parsed) ? parsed : isJwks(parsed) ? parsed.keys : [parsed];
  return list.map((jwk, i) => {
    if (typeof jwk !== 'object' || jwk === null)
      throw new AuthConfigError(`AUTH_PUBLIC_KEYS key ${i + 1}: not a JWK`);
    const { d, kid, kty } = jwk as { d?: unknown; kid?: unknown; kty?: unknown };
    if (kty === 'oct') throw new AuthConfigError(`AUTH_PUBLIC_KEYS key ${i + 1}: symmetric keys are refused`);
    if (d !== undefined)
      throw new AuthConfigError(`AUTH_PUBLIC_KEYS key ${i + 1}: a private key; give public keys only`);
    const key = trusted(
      () => createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }),
      i,
    );
    return typeof kid === 'string' ? { ...key, kid } : key;
  });
}

function isJwks(value: unknown): value is { keys: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

function trusted(load: () => KeyObject, index: number): TrustedKey {
  let key: KeyObject;
  try {
    key = load();
  } catch (err) {
    throw new AuthConfigError(
      `AUTH_PUBLIC_KEYS key ${index + 1}: cannot be read (${(err as Error).message})`,
    );
  }
  return { key, alg: pinnedAlgorithmOf(key, index) };
}

function pinnedAlgorithmOf(key: KeyObject, index: number): PinnedAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) {
      throw new AuthConfigError(`AUTH_PUBLIC_KEYS key ${index + 1}: RSA keys must have at least 2048 bits`);
    }
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ES256';
  throw new AuthConfigError(
    `AUTH_PUBLIC_KEYS key ${index + 1}: only RSA (RS256) and P-256 (ES256) keys are accepted, got ${key.asymmetricKeyType}`,
  );
}
