import { parseDistrictUnits } from '@nqpf/domain';
import { AuthConfigError } from '../errors';
import { DevIdentitySource, devIdentitySourceFromEnv } from '../dev-identity/dev-identity-source';
import { parsePublicKeys } from '../token/parse-public-keys';

/** How a service authenticates requests. Build it with `loadAuthConfig(process.env)`. */
export interface AuthConfig {
  /** Expected `iss` of the real identity provider's tokens. */
  issuer?: string;
  /** Expected `aud` (one value, or several any of which is accepted). */
  audience?: string | string[];
  /** The provider's JWKS endpoint (keys fetched and cached, rotated by `kid`). */
  jwksUrl?: string;
  /** Static public keys instead of (or besides) a JWKS URL: PEM blocks or JWK/JWKS JSON. */
  publicKeys?: string;
  /** Tolerance for `exp`/`nbf`, seconds. */
  clockSkewS: number;
  /**
   * Age after which the JWKS is read again before its next use: a key removed at the provider is refused
   * at most this long after (default DEFAULT_JWKS_CACHE_S).
   */
  jwksCacheS?: number;
  /** How long past jwksCacheS the last set read is still used while the provider cannot be read; 0: never. */
  jwksStaleS?: number;
  /** Least time between two reads an unknown `kid` triggers, and between two tries while reads fail. */
  jwksCooldownS?: number;
  /** The units a district_office's `district` claim may name (NQPF_DISTRICT_UNITS; default RULES' units). */
  districtUnits?: readonly string[];
  /** Trust the local development identity (never in production). */
  devIdentity: DevIdentitySource | false;
  /** NODE_ENV, so validation can refuse the dev identity in production. */
  nodeEnv?: string;
}

export const DEFAULT_CLOCK_SKEW_S = 30;
const MAX_CLOCK_SKEW_S = 300;
export const DEFAULT_JWKS_CACHE_S = 300;
export const DEFAULT_JWKS_STALE_S = 86_400;
export const DEFAULT_JWKS_COOLDOWN_S = 5;

/** Reads AUTH_* variables (docs/security.md) and validates them; throws AuthConfigError naming the variable. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const devIdentity = flag(env.AUTH_DEV_IDENTITY, 'AUTH_DEV_IDENTITY')
    ? devIdentitySourceFromEnv(env)
    : false;
  return validateAuthConfig({
    issuer: env.AUTH_ISSUER || undefined,
    audience: audienceOf(env.AUTH_AUDIENCE),
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    publicKeys: env.AUTH_PUBLIC_KEYS || undefined,
    clockSkewS: skewOf(env.AUTH_CLOCK_SKEW_S),
    jwksCacheS: secondsOf('AUTH_JWKS_CACHE_S', env.AUTH_JWKS_CACHE_S, DEFAULT_JWKS_CACHE_S, 1, 3600),
    jwksStaleS: secondsOf('AUTH_JWKS_STALE_S', env.AUTH_JWKS_STALE_S, DEFAULT_JWKS_STALE_S, 0, 604_800),
    jwksCooldownS: secondsOf(
      'AUTH_JWKS_COOLDOWN_S',
      env.AUTH_JWKS_COOLDOWN_S,
      DEFAULT_JWKS_COOLDOWN_S,
      1,
      300,
    ),
    districtUnits: unitsOf(env.NQPF_DISTRICT_UNITS),
    devIdentity,
    nodeEnv: env.NODE_ENV,
  });
}

/**
 * Where development aids (the movable clock, the local stack's defaults, plain-http JWKS) may be switched
 * on: NODE_ENV unset (a checkout), development or test. Any other value — production, but also 'prod' or
 * 'staging' — is a deployment, where they never are. The development identity asks more:
 * trustsDevelopmentIdentity.
 */
export function isDevelopmentEnv(nodeEnv: string | undefined): boolean {
  return nodeEnv === undefined || ['', 'development', 'test'].includes(nodeEnv);
}

/**
 * Whether the development identity (anyone with its key signs any role) may be trusted: only when NODE_ENV
 * says development or test in so many words. An unset or empty NODE_ENV is how a hand-made deployment
 * looks as much as a checkout, so it is not enough.
 */
export function trustsDevelopmentIdentity(nodeEnv: string | undefined): boolean {
  return nodeEnv === 'development' || nodeEnv === 'test';
}

/** The startup check: refuses insecure or unusable combinations with a message saying what to change. */
export function validateAuthConfig(config: AuthConfig): AuthConfig {
  if (config.devIdentity && !trustsDevelopmentIdentity(config.nodeEnv)) {
    const nodeEnv =
      config.nodeEnv === undefined
        ? 'NODE_ENV is unset'
        : config.nodeEnv === ''
          ? 'NODE_ENV is empty'
          : `NODE_ENV=${config.nodeEnv}`;
    throw new AuthConfigError(
      `AUTH_DEV_IDENTITY is enabled while ${nodeEnv}: the development identity is trusted only with ` +
        'NODE_ENV=development or test, never in a deployment. Set NODE_ENV=development for a local stack, or ' +
        'unset AUTH_DEV_IDENTITY and configure AUTH_JWKS_URL or AUTH_PUBLIC_KEYS.',
    );
  }
  if (!Number.isInteger(config.clockSkewS) || config.clockSkewS < 0 || config.clockSkewS > MAX_CLOCK_SKEW_S) {
    throw new AuthConfigError(`AUTH_CLOCK_SKEW_S must be an integer from 0 to ${MAX_CLOCK_SKEW_S} seconds`);
  }
  const realProvider = Boolean(config.jwksUrl || config.publicKeys);
  if (!realProvider && !config.devIdentity) {
    throw new AuthConfigError(
      'no token issuer is trusted: set AUTH_JWKS_URL or AUTH_PUBLIC_KEYS (with AUTH_ISSUER and AUTH_AUDIENCE), ' +
        'or AUTH_DEV_IDENTITY=1 for local development',
    );
  }
  if (realProvider) {
    if (!config.issuer)
      throw new AuthConfigError('AUTH_ISSUER is required with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    if (!config.audience || config.audience.length === 0) {
      throw new AuthConfigError('AUTH_AUDIENCE is required with AUTH_JWKS_URL or AUTH_PUBLIC_KEYS');
    }
  }
  if (config.jwksUrl) checkJwksUrl(config.jwksUrl, config.nodeEnv);
  if (config.publicKeys) parsePublicKeys(config.publicKeys);
  return config;
}

function checkJwksUrl(value: string, nodeEnv: string | undefined): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthConfigError(`AUTH_JWKS_URL is not a URL: ${value}`);
  }
  // Keys fetched over plain http could be swapped on the way: only a development stack may.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isDevelopmentEnv(nodeEnv))) {
    throw new AuthConfigError(
      `AUTH_JWKS_URL must use https (plain http only with NODE_ENV unset, development or test; got ${nodeEnv})`,
    );
  }
}

function flag(value: string | undefined, name: string): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new AuthConfigError(`${name} must be 1 or 0, got "${value}"`);
}

function audienceOf(value: string | undefined): string | string[] | undefined {
  const list = (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (list.length === 0) return undefined;
  return list.length === 1 ? list[0] : list;
}

function secondsOf(
  name: string,
  value: string | undefined,
  byDefault: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value.trim() === '') return byDefault;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new AuthConfigError(`${name} must be whole seconds from ${min} to ${max}, got "${value}"`);
  return n;
}

/** With the parser the services' own configuration uses (libs/platform districtUnitsConfigSpec). */
function unitsOf(value: string | undefined): string[] {
  try {
    return parseDistrictUnits(value);
  } catch (err) {
    throw new AuthConfigError((err as Error).message);
  }
}

function skewOf(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CLOCK_SKEW_S;
  if (!/^\d+$/.test(value.trim()))
    throw new AuthConfigError(`AUTH_CLOCK_SKEW_S must be whole seconds, got "${value}"`);
  return Number(value.trim());
}
