import { SignJWT } from 'jose';
import { isTokenRole, TokenRole } from '../roles';
import { DEV_AUDIENCE, DEV_ISSUER, DevIdentitySource, devIdentitySourceFromEnv } from './dev-identity-source';
import { devKeyPair } from './dev-key-pair';
import { isDevelopmentEnv } from '../config/auth-config';

export interface DevTokenRequest {
  /** The role the token grants (first, hence the default acting role). */
  role: TokenRole;
  /** Further roles, after `role`. */
  moreRoles?: TokenRole[];
  /** District-level unit; required for district_office. */
  district?: string;
  /** The operator's center; required for operator. */
  centerId?: string;
  sub?: string;
  name?: string;
  /** Lifetime in seconds (default 3600). */
  ttl?: number;
}

/** Bad input to mintDevToken, naming the field and the rule. */
export class DevTokenRequestError extends Error {
  override readonly name = 'DevTokenRequestError';
}

/**
 * Signs a development token with the local ES256 key (development and tests only: refused unless
 * isDevelopmentEnv). Services trust it only with AUTH_DEV_IDENTITY=1 and the same key source.
 */
export async function mintDevToken(
  request: DevTokenRequest,
  source: DevIdentitySource = devIdentitySourceFromEnv(process.env),
): Promise<string> {
  if (!isDevelopmentEnv(process.env.NODE_ENV)) {
    throw new Error(`dev tokens are not minted with NODE_ENV=${process.env.NODE_ENV}`);
  }
  const roles = [request.role, ...(request.moreRoles ?? [])];
  for (const role of roles) {
    if (!isTokenRole(role)) throw new DevTokenRequestError(`role: unknown role "${String(role)}"`);
  }
  if (roles.includes('district_office') && !request.district) {
    throw new DevTokenRequestError('district: required for the district_office role');
  }
  if (roles.includes('operator') && !request.centerId) {
    throw new DevTokenRequestError('centerId: required for the operator role');
  }
  const ttl = request.ttl ?? 3600;
  if (!Number.isInteger(ttl) || ttl <= 0)
    throw new DevTokenRequestError('ttl: must be a positive whole number of seconds');

  const { privateKey, kid } = devKeyPair(source);
  const claims: Record<string, unknown> = { roles, name: request.name ?? `dev ${request.role}` };
  if (request.district) claims.district = request.district;
  if (request.centerId) claims.center_id = request.centerId;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(request.sub ?? `dev-${request.role}`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .sign(privateKey);
}
