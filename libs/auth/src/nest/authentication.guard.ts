import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { AuthLogger, logDenial } from '../access/denial-log';
import { AuthConfig } from '../config/auth-config';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { ACTING_ROLE_HEADER, actorFor } from '../identity/acting-role';
import { identityFromClaims } from '../identity/identity';
import { bearerToken } from '../token/bearer';
import { TokenVerifier } from '../token/token-verifier';
import { AuthenticatedRequest, routeOf } from './authenticated-request';
import { IS_PUBLIC } from './decorators';
import { AUTH_CONFIG, AUTH_LOGGER, TOKEN_VERIFIER } from './injection-tokens';

/**
 * Global guard: every HTTP route needs a valid bearer token unless it is @Public(). Sets `req.identity` and
 * `req.actor` (acting role: X-Acting-Role or the token's first role). 401 names what is wrong in general terms;
 * the log has the precise reason.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(AUTH_LOGGER) private readonly logger: AuthLogger,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP routes exist in our services; other transports are not routes and have their own checks.
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      const token = bearerToken(req.headers.authorization);
      if (!token) {
        if (isPublic) return true;
        throw new UnauthenticatedError('missing bearer token');
      }
      const identity = identityFromClaims(await this.verifier.verify(token));
      const acting = req.headers[ACTING_ROLE_HEADER];
      req.actor = actorFor(identity, Array.isArray(acting) ? acting[0] : acting, this.config.districtUnits);
      req.identity = identity;
      return true;
    } catch (err) {
      // A public route needs no credentials, so bad ones only cost the caller its actor.
      if (isPublic && (err instanceof UnauthenticatedError || err instanceof ForbiddenError)) return true;
      throw this.deny(err, req, context.switchToHttp().getResponse<Response>());
    }
  }

  private deny(err: unknown, req: AuthenticatedRequest, res: Response): unknown {
    const route = routeOf(req);
    if (err instanceof UnauthenticatedError) {
      logDenial(this.logger, { status: 401, route, reason: err.reason });
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return new UnauthorizedException(err.message);
    }
    if (err instanceof ForbiddenError) {
      logDenial(this.logger, { status: 403, route, actorId: err.denial.actorId, reason: err.reason });
      return new ForbiddenException(err.reason);
    }
    return err;
  }
}
