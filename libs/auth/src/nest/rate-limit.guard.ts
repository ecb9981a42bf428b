import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthenticatedRequest } from './authenticated-request';
import { IS_PUBLIC, RATE_LIMITED } from './decorators';

/**
 * Throttles public routes (objections, published lists) and @RateLimited ones, keyed by the actor when the
 * request carries a valid token, else by client IP (set SECURITY_TRUST_PROXY behind a proxy, or every
 * client shares the proxy's IP).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    return !(
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ||
      this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, targets)
    );
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const { actor, ip } = req as unknown as AuthenticatedRequest;
    return actor ? `actor:${actor.id}` : `ip:${ip ?? 'unknown'}`;
  }
}
