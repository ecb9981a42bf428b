import { UnauthenticatedError } from '../errors';
import { isTokenRole, TokenRole } from '../roles';

/** Who the verified token says the caller is (all roles; the request acts as one of them). */
export interface Identity {
  id: string;
  name?: string;
  roles: TokenRole[];
  district?: string;
  centerId?: string;
}

/**
 * Claims → identity: `sub`, `name`, `roles` (array; a single string is accepted; unknown values are ignored so
 * one provider can serve other systems), `district`, `center_id`.
 */
export function identityFromClaims(claims: Record<string, unknown>): Identity {
  const { sub, name, roles, district, center_id: centerId } = claims;
  if (typeof sub !== 'string' || sub.trim() === '')
    throw new UnauthenticatedError('invalid token', 'token has no subject');
  const listed = Array.isArray(roles) ? roles : typeof roles === 'string' ? [roles] : [];
  const identity: Identity = { id: sub, roles: [...new Set(listed.filter(isTokenRole))] };
  if (typeof name === 'string' && name) identity.name = name;
  if (typeof district === 'string' && district) identity.district = district;
  if (typeof centerId === 'string' && centerId) identity.centerId = centerId;
  return identity;
}
