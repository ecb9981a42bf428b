import { ForbiddenError, UnauthenticatedError } from '../errors';
import { isTokenRole, TokenRole } from '../roles';

/** Who the verified token says the caller is (all roles; the request acts as one of them). */
export interface Identity {
  id: string;
  name?: string;
  roles: TokenRole[];
  district?: string;
  centerId?: string;
  /**
   * `district` or `center_id` present with a JSON type other than a string, and that type: refused by
   * actorFor when the acting role reads the claim, so the message names the type, not a missing claim.
   */
  mistyped?: Partial<Record<'district' | 'center_id', string>>;
}

/**
 * Claims → identity: `sub`, `name`, `roles` (an array of strings; a single string is accepted; unknown
 * values are ignored so one provider can serve other systems), `district`, `center_id` (strings). A `roles`
 * claim of another JSON type is refused here (403), naming the type: every request reads it.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const { sub, name, roles, district, center_id: centerId } = claims;
  if (typeof sub !== 'string' || sub.trim() === '')
    throw new UnauthenticatedError('invalid token', 'token has no subject');
  const identity: Identity = { id: sub, roles: [...new Set(rolesOf(sub, roles).filter(isTokenRole))] };
  if (typeof name === 'string' && name) identity.name = name;
  if (typeof district === 'string' && district) identity.district = district;
  if (typeof centerId === 'string' && centerId) identity.centerId = centerId;
  const mistyped = {
    ...(isMistyped(district) ? { district: jsonType(district) } : {}),
    ...(isMistyped(centerId) ? { center_id: jsonType(centerId) } : {}),
  };
  if (Object.keys(mistyped).length > 0) identity.mistyped = mistyped;
  return identity;
}

function rolesOf(sub: string, roles: unknown): string[] {
  if (roles === undefined || roles === null) return [];
  if (typeof roles === 'string') return [roles];
  const wrong = !Array.isArray(roles)
    ? jsonType(roles)
    : roles.find((r) => typeof r !== 'string') !== undefined
      ? `an array holding ${article(jsonType(roles.find((r) => typeof r !== 'string')))}`
      : undefined;
  if (wrong)
    throw new ForbiddenError(`the roles claim must be a list of texts (JSON strings), got ${wrong}`, {
      actorId: sub,
    });
  return roles as string[];
}

/** Absent (or null, as some providers send an unset attribute) is "missing", any other non-string "mistyped". */
function isMistyped(value: unknown): boolean {
  return value !== undefined && value !== null && typeof value !== 'string';
}

/** The JSON type name, as a provider's administrator would look for it in the token. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
