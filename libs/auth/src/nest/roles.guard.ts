import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthLogger, logDenial } from '../access/denial-log';
import { AuthenticatedRequest, routeOf } from './authenticated-request';
import { IS_PUBLIC, ROLES } from './decorators';
import { AUTH_LOGGER } from './injection-tokens';

/** Route-level role check: the acting role must be listed in @Roles; a route without @Roles admits nobody. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_LOGGER) private readonly logger: AuthLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const roles = this.reflector.getAllAndOverride<string[] | undefined>(ROLES, targets);
    const actor = req.actor;
    const reason = !roles
      ? 'route declares no roles'
      : !actor || !roles.includes(actor.role)
        ? `role ${actor?.role ?? 'none'} may not call this route`
        : undefined;
    if (!reason) return true;
    logDenial(this.logger, {
      status: 403,
      actorId: actor?.id,
      role: actor?.role,
      route: routeOf(req),
      reason,
    });
    throw new ForbiddenException(reason);
  }
}
