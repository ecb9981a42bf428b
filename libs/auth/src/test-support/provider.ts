import { createHmac, generateKeyPairSync, KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AuthLogger } from '../access/denial-log';

/** A stand-in identity provider for specs: an RSA and a P-256 signing key, and a way to forge tokens. */
export interface TestProvider {
  issuer: string;
  audience: string;
  rsa: { privateKey: KeyObject; publicKey: KeyObject };
  ec: { privateKey: KeyObject; publicKey: KeyObject };
  /** PEM of both public keys, as AUTH_PUBLIC_KEYS. */
  publicKeysPem: string;
}

export function createTestProvider(): TestProvider {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();
  return {
    issuer: 'https://idp.test/realms/nqpf',
    audience: 'nqpf-api',
    rsa,
    ec,
    publicKeysPem: `${pem(rsa.publicKey)}${pem(ec.publicKey)}`,
  };
}

export interface SignOptions {
  alg?: 'RS256' | 'ES256';
  key?: KeyObject;
  issuer?: string;
  audience?: string;
  /** Seconds relative to now. */
  expiresIn?: number | null;
  notBeforeIn?: number;
  kid?: string;
}

const now = () => Math.floor(Date.now() / 1000);

export async function signToken(
  provider: TestProvider,
  claims: Record<string, unknown>,
  options: SignOptions = {},
): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const key = options.key ?? (alg === 'RS256' ? provider.rsa.privateKey : provider.ec.privateKey);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuer(options.issuer ?? provider.issuer)
    .setAudience(options.audience ?? provider.audience)
    .setIssuedAt();
  if (options.expiresIn !== null) jwt.setExpirationTime(now() + (options.expiresIn ?? 300));
  if (options.notBeforeIn !== undefined) jwt.setNotBefore(now() + options.notBeforeIn);
  return jwt.sign(key);
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token as an attacker builds it, bypassing any library's refusals. */
export function forgeToken(header: object, claims: object, sign: (input: string) => string): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign(input)}`;
}

export function standardClaims(
  provider: TestProvider,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    iss: provider.issuer,
    aud: provider.audience,
    sub: 'attacker',
    exp: now() + 300,
    roles: ['city_bureau'],
    ...extra,
  };
}

/** HS256 with the provider's public key PEM as the HMAC secret: the classic RS/HS confusion. */
export function hs256WithPublicKey(provider: TestProvider, claims: object): string {
  const secret = provider.rsa.publicKey.export({ type: 'spki', format: 'pem' });
  return forgeToken({ alg: 'HS256', typ: 'JWT' }, claims, (input) =>
    createHmac('sha256', secret).update(input).digest('base64url'),
  );
}

/** Captures what the auth lib logs. */
export function recordingLogger(): AuthLogger & {
  entries: Array<{ level: string; obj: object; msg?: string }>;
} {
  const entries: Array<{ level: string; obj: object; msg?: string }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}
