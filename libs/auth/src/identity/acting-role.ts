import type { Actor } from '@nqpf/contracts';
import { ForbiddenError } from '../errors';
import { Identity } from './identity';

/** Header naming which of the token's roles this request acts as. */
export const ACTING_ROLE_HEADER = 'x-acting-role';

/**
 * One request, one role: the role named by X-Acting-Role if the token grants it, otherwise the token's first
 * role. The actor carries its district only when acting as district_office and its center only when acting
 * as operator, so scope never leaks from one role into another.
 */
export function actorFor(identity: Identity, requestedRole?: string): Actor {
  const base = { actorId: identity.id };
  if (identity.roles.length === 0) throw new ForbiddenError('the token grants no nqpf role', base);
  const role = requestedRole?.trim() || identity.roles[0];
  if (!(identity.roles as string[]).includes(role)) {
    throw new ForbiddenError(`X-Acting-Role "${role}" is not among the token's roles`, base);
  }
  const actor: Actor = { id: identity.id, role: role as Actor['role'], district: null, centerId: null };
  if (actor.role === 'district_office') {
    if (!identity.district)
      throw new ForbiddenError('a district_office token must carry a district claim', base);
    actor.district = identity.district;
  }
  if (actor.role === 'operator') {
    if (!identity.centerId) throw new ForbiddenError('an operator token must carry a center_id claim', base);
    actor.centerId = identity.centerId;
  }
  return actor;
}
