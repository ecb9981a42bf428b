import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Public, Roles, type TokenRole } from '@nqpf/auth';

/** An operation's description alone (ApiOperation would otherwise add an empty `summary`). */
const described = (description: string) => ApiOperation({ summary: undefined, description });

/**
 * The roles that may call the route: libs/auth's @Roles, which RolesGuard enforces, and the same list in the
 * operation's description, from one argument list (the drift spec holds every route's description to what
 * the guards admit).
 */
export const CalledBy = (...roles: TokenRole[]) =>
  applyDecorators(Roles(...roles), described(`Roles allowed: ${roles.join(', ')}.`));

/** A public route (@Public): no token needed, and so documented. */
export const CalledByAnyone = () => applyDecorators(Public(), described('Public: no token needed.'));
