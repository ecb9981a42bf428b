import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthLogger, logDenial } from '../access/denial-log';
import { AuthenticatedRequest, routeOf } from './authenticated-request';
import { READ_ONLY_ACTION } from './decorators';
import { AUTH_LOGGER } from './injection-tokens';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Auditors read everything and change nothing: any non-GET is refused unless marked @ReadOnlyAction(). */
@Injectable()
export class AuditorReadOnlyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_LOGGER) private readonly logger: AuthLogger,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (req.actor?.role !== 'auditor' || READ_METHODS.has(req.method)) return true;
    if (
      this.reflector.getAllAndOverride<boolean>(READ_ONLY_ACTION, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    const reason = 'auditors read everything and change nothing';
    logDenial(this.logger, {
      status: 403,
      actorId: req.actor.id,
      role: 'auditor',
      route: routeOf(req),
      reason,
    });
    throw new ForbiddenException(reason);
  }
}
