import type { Actor } from '@nqpf/contracts';
import { DenialDetails, ForbiddenError } from '../errors';
import { AccessMode, AccessTarget } from './access-target';

/**
 * `outOfScope`: the refusal depends on the object (another district's, another center's, an application the
 * expert is not assigned to or declared a conflict with, one missing the field the rule needs), not on the
 * role alone; assertCanActOrNotFound answers it as an unknown id.
 */
export type AccessDecision = { allowed: true } | { allowed: false; reason: string; outOfScope: boolean };

const ALLOW: AccessDecision = { allowed: true };
/** The role (or the actor's own claims) rules it out whatever the object: a 403 reveals nothing. */
const deny = (reason: string): AccessDecision => ({ allowed: false, reason, outOfScope: false });
/** The object lies outside the actor's scope. */
const outOfScope = (reason: string): AccessDecision => ({ allowed: false, reason, outOfScope: true });

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
      if (!target.district) return outOfScope('object has no district');
      return actor.district === target.district ? ALLOW : outOfScope('object belongs to another district');
    case 'operator':
      if (!actor.centerId) return deny('operator without a center');
      if (!target.centerId) return outOfScope('object has no center');
      return actor.centerId === target.centerId ? ALLOW : outOfScope('object belongs to another center');
    case 'expert':
      if (target.conflictedExpertIds?.includes(actor.id))
        return outOfScope('expert declared a conflict with this application');
      return target.assignedExpertIds?.includes(actor.id)
        ? ALLOW
        : outOfScope('expert is not assigned to this application');
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

/** Not enumerable, so never part of an answer; Symbol.for, so found whichever copy of the library threw. */
const HIDDEN_DENIAL = Symbol.for('nqpf.auth.hiddenDenial');

/**
 * The object-level check of one object a request names, read or command, that does not disclose whether
 * the object exists: one outside the actor's scope (`outOfScope` in decideAccess) throws `notFound()`, which
 * must build the very error the route answers for an unknown id (a NotFoundError, as the write services
 * and the registry's `/standing/:centerId` answer it), so both answers are the same 404. A refusal of the
 * role whatever the object (an auditor changing something) stays a ForbiddenError (403). Call it right after loading the object and answering an unknown
 * id with the same `notFound()`, before anything whose answer could differ between an existing and an
 * absent object: If-Match (412), the state (409), a rule (422), an ETag. The refusal is logged as every
 * denial (`access_denied`, status 404, actor, role, object id, reason), never answered.
 */
export function assertCanActOrNotFound(
  actor: Actor,
  target: AccessTarget,
  mode: AccessMode,
  notFound: () => Error,
): void {
  const decision = decideAccess(actor, target, mode);
  if (decision.allowed) return;
  const denial = denialOf(actor, target);
  if (!decision.outOfScope) throw new ForbiddenError(decision.reason, denial);
  const error = notFound();
  Object.defineProperty(error, HIDDEN_DENIAL, { value: { ...denial, reason: decision.reason } });
  throw error;
}

/** A refusal answered as "not found" (assertCanActOrNotFound), for the denial log; else undefined. */
export function hiddenDenialOf(error: unknown): (DenialDetails & { reason: string }) | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  return (error as { [HIDDEN_DENIAL]?: DenialDetails & { reason: string } })[HIDDEN_DENIAL];
}

function denialOf(actor: Actor, target: AccessTarget): DenialDetails {
  return { actorId: actor.id, role: actor.role, objectId: target.id ?? null };
}
