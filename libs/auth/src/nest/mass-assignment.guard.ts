import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidInputError } from '@nqpf/domain';
import { AuthenticatedRequest } from './authenticated-request';
import { ALLOWED_BODY_FIELDS } from './decorators';

/** Fields the server decides (state, scope, who, identity); a client setting them is refused, not ignored. */
export const SERVER_DECIDED_FIELDS = ['status', 'district', 'centerId', 'actor', 'id'] as const;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Mass-assignment check, before any pipe: a top-level deny-listed field (unless the route allows it with
 * @AllowBodyFields) or a prototype key at any depth is the domain's 400 `invalid_input` naming the field
 * as the validation pipe names it (`status`, `nested.__proto__`).
 */
@Injectable()
export class MassAssignmentGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const body: unknown = context.switchToHttp().getRequest<AuthenticatedRequest>().body;
    if (!isObject(body)) return true;
    const allowed =
      this.reflector.getAllAndOverride<string[] | undefined>(ALLOWED_BODY_FIELDS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? [];
    const field = SERVER_DECIDED_FIELDS.find((f) => Object.hasOwn(body, f) && !allowed.includes(f));
    if (field) throw new InvalidInputError(field, 'is set by the server and may not be sent');
    const polluted = prototypeKeyIn(body, '');
    if (polluted) throw new InvalidInputError(polluted, 'is a prototype key, not allowed in a body');
    return true;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function prototypeKeyIn(value: Record<string, unknown>, prefix: string, depth = 0): string | undefined {
  if (depth > 32) return undefined;
  for (const key of Object.keys(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) return path;
    const child = value[key];
    if (isObject(child)) {
      const found = prototypeKeyIn(child, path, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
