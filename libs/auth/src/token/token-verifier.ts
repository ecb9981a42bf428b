import { KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { AuthLogger } from '../access/denial-log';
import {
  AuthConfig,
  DEFAULT_JWKS_CACHE_S,
  DEFAULT_JWKS_COOLDOWN_S,
  DEFAULT_JWKS_STALE_S,
} from '../config/auth-config';
import { DEV_AUDIENCE, DEV_ISSUER } from '../dev-identity/dev-identity-source';
import { devKeyPair } from '../dev-identity/dev-key-pair';
import { IdentityKeysUnavailableError, UnauthenticatedError } from '../errors';
import { defaultAuthLogger } from '../nest/default-logger';
import { createCachedKeySet, KeySetStatus } from './cached-key-set';
import { parsePublicKeys, PINNED_ALGORITHMS, TrustedKey } from './parse-public-keys';

/**
 * Verifies a compact JWT; resolves to its claims or rejects with UnauthenticatedError (or
 * IdentityKeysUnavailableError: the provider's key set could not be read, the token was not judged).
 */
export interface TokenVerifier {
  verify(token: string): Promise<JWTPayload>;
  /** With AUTH_JWKS_URL: the key set's state (age, failing reads), for /health and the metrics. */
  keySetStatus?(): KeySetStatus;
  /** With AUTH_JWKS_URL: stops the key set's background retries (AuthModule calls it at shutdown). */
  close?(): void;
}

export interface TokenVerifierOptions {
  /** Where failing key set reads are logged (default: the auth library's pino logger). */
  logger?: AuthLogger;
}

/** One read of the JWKS: connecting, the answer and its body. */
const JWKS_TIMEOUT_MS = 5000;

interface Trust {
  issuer: string;
  audience: string | string[];
  staticKeys: TrustedKey[];
  jwks?: JWTVerifyGetKey;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Algorithms are pinned to RS256/ES256 and every key is asymmetric with its own algorithm, so `none` and
 * HS256-signed-with-the-public-key are refused. Issuer, audience, `exp` (required) and `nbf` are checked with
 * the configured clock skew. Dev tokens (issuer nqpf-dev-identity) are checked only against the dev key.
 */
export function createTokenVerifier(config: AuthConfig, options: TokenVerifierOptions = {}): TokenVerifier {
  const keySet = config.jwksUrl
    ? createCachedKeySet({
        url: new URL(config.jwksUrl),
        maxAgeMs: (config.jwksCacheS ?? DEFAULT_JWKS_CACHE_S) * 1000,
        staleMs: (config.jwksStaleS ?? DEFAULT_JWKS_STALE_S) * 1000,
        cooldownMs: (config.jwksCooldownS ?? DEFAULT_JWKS_COOLDOWN_S) * 1000,
        timeoutMs: JWKS_TIMEOUT_MS,
        logger: options.logger ?? defaultAuthLogger(),
      })
    : undefined;
  const real: Trust | undefined =
    config.jwksUrl || config.publicKeys
      ? {
          issuer: config.issuer!,
          audience: config.audience!,
          staticKeys: config.publicKeys ? parsePublicKeys(config.publicKeys) : [],
          jwks: keySet?.getKey,
        }
      : undefined;
  const dev: Trust | undefined = config.devIdentity
    ? {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        staticKeys: [{ key: devKeyPair(config.devIdentity).publicKey, alg: 'ES256' }],
      }
    : undefined;

  return {
    async verify(token: string): Promise<JWTPayload> {
      const { issuer, kid } = peek(token);
      const trust = dev && issuer === DEV_ISSUER ? dev : real;
      if (!trust) throw new UnauthenticatedError('invalid token', `issuer "${issuer}" is not trusted`);
      try {
        return await verifyWith(trust, token, kid, config.clockSkewS);
      } catch (err) {
        if (err instanceof IdentityKeysUnavailableError) throw err;
        throw toUnauthenticated(err);
      }
    },
    ...(keySet ? { keySetStatus: () => keySet.status(), close: () => keySet.close() } : {}),
  };
}

function peek(token: string): { issuer: string; kid?: string } {
  if (!COMPACT_JWS.test(token)) throw new UnauthenticatedError('malformed token', 'not a signed compact JWT');
  try {
    const { kid } = decodeProtectedHeader(token);
    return { issuer: String(decodeJwt(token).iss ?? ''), kid };
  } catch {
    throw new UnauthenticatedError('malformed token', 'header or claims do not decode');
  }
}

async function verifyWith(
  trust: Trust,
  token: string,
  kid: string | undefined,
  skew: number,
): Promise<JWTPayload> {
  const options = {
    issuer: trust.issuer,
    audience: trust.audience,
    clockTolerance: skew,
    requiredClaims: ['exp', 'sub'],
  };
  const byKid = kid ? trust.staticKeys.filter((k) => k.kid === kid) : [];
  if (byKid.length > 0) return verifyWithKeys(token, byKid, options);
  if (!trust.jwks) return verifyWithKeys(token, trust.staticKeys, options);
  // Besides a JWKS, static keys without a kid (PEM) are tried by their signature first.
  const unnamed = trust.staticKeys.filter((k) => k.kid === undefined);
  if (unnamed.length > 0) {
    try {
      return await verifyWithKeys(token, unnamed, options);
    } catch (err) {
      if (!isKeyMismatch(err)) throw err;
    }
  }
  return (await jwtVerify(token, trust.jwks, { ...options, algorithms: [...PINNED_ALGORITHMS] })).payload;
}

/** A signature or algorithm that does not fit the key: "try the next key", not "refuse the token". */
function isKeyMismatch(err: unknown): boolean {
  return err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JOSEAlgNotAllowed;
}

async function verifyWithKeys(
  token: string,
  candidates: TrustedKey[],
  options: Parameters<typeof jwtVerify>[2],
): Promise<JWTPayload> {
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      return (await jwtVerify(token, candidate.key as KeyObject, { ...options, algorithms: [candidate.alg] }))
        .payload;
    } catch (err) {
      // Several static keys without kid: a mismatch means "try the next key".
      if (!isKeyMismatch(err)) throw err;
      lastError = err;
    }
  }
  throw lastError ?? new UnauthenticatedError('invalid token', 'no trusted key');
}

function toUnauthenticated(err: unknown): UnauthenticatedError {
  if (err instanceof UnauthenticatedError) return err;
  if (err instanceof errors.JWTExpired) return new UnauthenticatedError('token expired', 'exp passed');
  if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'nbf') {
    return new UnauthenticatedError('token not yet valid', 'nbf in the future');
  }
  if (err instanceof errors.JOSEError)
    return new UnauthenticatedError('invalid token', `${err.code}: ${err.message}`);
  return new UnauthenticatedError('invalid token', err instanceof Error ? err.message : String(err));
}
