import type { Actor } from '@nqpf/contracts';
import { ForbiddenError } from '../errors';
import { AccessMode, AccessTarget } from './access-target';

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOW: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });

/**
 * Object-level rule (RULES.md "Actors"): the bureau and the system act on everything; an auditor reads
 * everything and changes nothing; a finance officer is city-wide (which actions, @Roles decides); a district
 * office only within its district; an operator only its own center; an expert only applications assigned to
 * them and never one they declared a conflict with; the public reads no records. Missing scope data denies.
 */
export function decideAccess(actor: Actor, target: AccessTarget, mode: AccessMode = 'read'): AccessDecision {
  switch (actor.role) {
    case 'system':
    case 'city_bureau':
    case 'finance_officer':
      return ALLOW;
    case 'auditor':
      return mode === 'read' ? ALLOW : deny('auditors read everything and change nothing');
    case 'district_office':
      if (!actor.district) return deny('district office without a district');
      if (!target.district) return deny('object has no district');
      return actor.district === target.district ? ALLOW : deny('object belongs to another district');
    case 'operator':
      if (!actor.centerId) return deny('operator without a center');
      if (!target.centerId) return deny('object has no center');
      return actor.centerId === target.centerId ? ALLOW : deny('object belongs to another center');
    case 'expert':
      if (target.conflictedExpertIds?.includes(actor.id))
        return deny('expert declared a conflict with this application');
      return target.assignedExpertIds?.includes(actor.id)
        ? ALLOW
        : deny('expert is not assigned to this application');
    case 'public':
      return deny('the public has no access to records');
    default:
      return deny(`unknown role ${String(actor.role)}`);
  }
}

/** May this actor see (`read`, default) or change (`write`) the center, application or record? */
export function canAccessCenter(actor: Actor, target: AccessTarget, mode: AccessMode = 'read'): boolean {
  return decideAccess(actor, target, mode).allowed;
}

/** Throws ForbiddenError (→ 403, logged with actor, role, object id, reason) unless the actor may act. */
export function assertCanAct(actor: Actor, target: AccessTarget, mode: AccessMode = 'write'): void {
  const decision = decideAccess(actor, target, mode);
  if (!decision.allowed) {
    throw new ForbiddenError(decision.reason, {
      actorId: actor.id,
      role: actor.role,
      objectId: target.id ?? null,
    });
  }
}
