import { AuthConfigError } from '../errors';

/** Abuse limits and HTTP hardening. Build it with `loadSecurityConfig(process.env)`. */
export interface SecurityConfig {
  /** Express "trust proxy": false, true, a hop count, or addresses/subnets ("loopback, 10.0.0.0/8"). */
  trustProxy: boolean | number | string;
  /** Origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: string[];
  /** Largest accepted JSON/form body (body-parser syntax, e.g. "100kb", "1mb"). */
  bodyLimit: string;
  /** Requests per window per user (or per IP without a token) on public and @RateLimited routes. */
  rateLimit: { limit: number; windowS: number };
  /**
   * A9.4 objections per window per client, on top of `rateLimit`: each is stored for good and must be
   * ruled on, so a flood at the general limit would bury a candidacy (@RateLimited('objections')).
   */
  objectionRateLimit: { limit: number; windowS: number };
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
  if (!/^\d+(b|kb|mb)?$/i.test(bodyLimit)) {
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
