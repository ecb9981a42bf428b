import { AuthConfigError } from '../errors';

/** Abuse limits and HTTP hardening. Build it with `loadSecurityConfig(process.env)`. */
export interface SecurityConfig {
  /** Express "trust proxy": false, true, a hop count, or addresses/subnets ("loopback, 10.0.0.0/8"). */
  trustProxy: boolean | number | string;
  /** Origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: string[];
  /** Largest accepted JSON/form body (body-parser syntax, e.g. "100kb", "1mb"). */
  bodyLimit: string;
  /**
   * Routes that take larger bodies than `bodyLimit` (a report whose fields may each hold 20 000 characters);
   * a route's limit never falls below `bodyLimit`. Declared by the service (PlatformOptions.bodyLimits), not
   * read from the environment.
   */
  routeBodyLimits?: readonly RouteBodyLimit[];
  /** Requests per window per user (or per IP without a token) on public and @RateLimited routes. */
  rateLimit: { limit: number; windowS: number };
  /**
   * A9.4 objections per window per client, on top of `rateLimit`: each is stored for good and must be
   * ruled on, so a flood at the general limit would bury a candidacy (@RateLimited('objections')).
   */
  objectionRateLimit: { limit: number; windowS: number };
}

/** A route that takes bodies up to `limit` (body-parser syntax, "512kb"). */
export interface RouteBodyLimit {
  method: 'POST' | 'PUT' | 'PATCH';
  /** The route as Nest declares it, parameters as `:name`: '/centers/:centerId/reports'. */
  path: string;
  limit: string;
}

const BODY_LIMIT = /^(\d+)(b|kb|mb)?$/i;
const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** A limit in body-parser's syntax ("100kb", "1mb", "2048") in bytes, as body-parser counts them (1kb = 1024). */
export function bodyLimitBytes(limit: string): number {
  const match = BODY_LIMIT.exec(limit.trim());
  if (!match) throw new AuthConfigError(`a body limit must look like 100kb or 1mb, got "${limit}"`);
  return Number(match[1]) * UNIT_BYTES[(match[2] ?? 'b').toLowerCase()]!;
}

export const DEFAULT_SECURITY_CONFIG: SecurityConfig = {
  trustProxy: false,
  corsOrigins: [],
  bodyLimit: '100kb',
  rateLimit: { limit: 60, windowS: 60 },
  objectionRateLimit: { limit: 10, windowS: 3600 },
};

/** Reads SECURITY_* variables (docs/security.md); throws AuthConfigError naming the variable. */
export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const bodyLimit = env.SECURITY_BODY_LIMIT?.trim() || DEFAULT_SECURITY_CONFIG.bodyLimit;
  if (!BODY_LIMIT.test(bodyLimit)) {
    throw new AuthConfigError(`SECURITY_BODY_LIMIT must look like 100kb or 1mb, got "${bodyLimit}"`);
  }
  return {
    trustProxy: trustProxyOf(env.SECURITY_TRUST_PROXY),
    corsOrigins: (env.SECURITY_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimit,
    rateLimit: {
      limit: positive(
        env.SECURITY_RATE_LIMIT,
        'SECURITY_RATE_LIMIT',
        DEFAULT_SECURITY_CONFIG.rateLimit.limit,
      ),
      windowS: positive(
        env.SECURITY_RATE_WINDOW_S,
        'SECURITY_RATE_WINDOW_S',
        DEFAULT_SECURITY_CONFIG.rateLimit.windowS,
      ),
    },
    objectionRateLimit: {
      limit: positive(
        env.SECURITY_OBJECTION_RATE_LIMIT,
        'SECURITY_OBJECTION_RATE_LIMIT',
        DEFAULT_SECURITY_CONFIG.objectionRateLimit.limit,
      ),
      windowS: positive(
        env.SECURITY_OBJECTION_RATE_WINDOW_S,
        'SECURITY_OBJECTION_RATE_WINDOW_S',
        DEFAULT_SECURITY_CONFIG.objectionRateLimit.windowS,
      ),
    },
  };
}

function trustProxyOf(value: string | undefined): SecurityConfig['trustProxy'] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new AuthConfigError(`${name} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}
