import type { Actor } from '@nqpf/contracts';
import { DEFAULT_DISTRICT_UNITS } from '@nqpf/domain';
import { ForbiddenError } from '../errors';
import { Identity } from './identity';

/** Header naming which of the token's roles this request acts as. */
export const ACTING_ROLE_HEADER = 'x-acting-role';

/**
 * One request, one role: the role named by X-Acting-Role if the token grants it, otherwise the token's first
 * role. The actor carries its district only when acting as district_office and its center only when acting
 * as operator, so scope never leaks from one role into another.
 *
 * A district office's `district` must be exactly one of `districtUnits` (NQPF_DISTRICT_UNITS): any other
 * text (a trailing space, an invisible character, another spelling) matches no record, and the office
 * would see empty lists and 404s with nothing saying why.
 */
export function actorFor(
  identity: Identity,
  requestedRole?: string,
  districtUnits: readonly string[] = DEFAULT_DISTRICT_UNITS,
): Actor {
  const base = { actorId: identity.id };
  if (identity.roles.length === 0) throw new ForbiddenError('the token grants no nqpf role', base);
  const role = requestedRole?.trim() || identity.roles[0];
  if (!(identity.roles as string[]).includes(role)) {
    throw new ForbiddenError(`X-Acting-Role "${role}" is not among the token's roles`, base);
  }
  const actor: Actor = { id: identity.id, role: role as Actor['role'], district: null, centerId: null };
  if (actor.role === 'district_office') {
    requireTextClaim(identity, 'district');
    if (!identity.district)
      throw new ForbiddenError('a district_office token must carry a district claim', base);
    if (!districtUnits.includes(identity.district))
      throw new ForbiddenError(
        `the district claim "${visible(identity.district)}" is not one of the configured district-level ` +
          `units (NQPF_DISTRICT_UNITS: ${districtUnits.join(', ')})`,
        base,
      );
    actor.district = identity.district;
  }
  if (actor.role === 'operator') {
    requireTextClaim(identity, 'center_id');
    if (!identity.centerId) throw new ForbiddenError('an operator token must carry a center_id claim', base);
    actor.centerId = identity.centerId;
  }
  return actor;
}

function requireTextClaim(identity: Identity, claim: 'district' | 'center_id'): void {
  const type = identity.mistyped?.[claim];
  if (type)
    throw new ForbiddenError(`the ${claim} claim must be text (a JSON string), got ${type}`, {
      actorId: identity.id,
    });
}

const MAX_SHOWN = 64;

/**
 * The claim as it can be read in a message and a log line: letters, digits, punctuation and symbols as
 * they are, anything else (spaces, invisible and control characters, the quote) as \u{…}, at most MAX_SHOWN
 * characters.
 */
function visible(value: string): string {
  const chars = [...value];
  const shown = chars
    .slice(0, MAX_SHOWN)
    .map((c) =>
      /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(c) && c !== '"' && c !== '\\'
        ? c
        : `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
    )
    .join('');
  return chars.length > MAX_SHOWN ? `${shown}…` : shown;
}
