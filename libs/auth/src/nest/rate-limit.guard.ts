import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { AuthenticatedRequest } from './authenticated-request';
import { IS_PUBLIC, RATE_LIMITED, SKIP_RATE_LIMIT } from './decorators';

/**
 * Throttles public routes (objections, published lists) and @RateLimited ones, keyed by the actor when the
 * request carries a valid token, else by client IP (set SECURITY_TRUST_PROXY behind a proxy, or every
 * client shares the proxy's IP). @SkipRateLimit() (handler or controller) exempts a route whatever else it
 * is marked: the operational routes, which probes and scrapers poll.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, targets)) return true;
    return !(
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ||
      this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, targets)
    );
  }

  /** The 'default' limit on every limited route; a named one only where @RateLimited(name) asks for it. */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name === 'default') return super.handleRequest(request);
    const targets = [request.context.getHandler(), request.context.getClass()];
    const own = this.reflector.getAllAndOverride<boolean | string>(RATE_LIMITED, targets);
    return own === request.throttler.name ? super.handleRequest(request) : true;
  }

  /** A named limit's 429 carries the standard Retry-After too (the library adds only `Retry-After-<name>`). */
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    context
      .switchToHttp()
      .getResponse<{ header(name: string, value: number): void }>()
      .header('Retry-After', detail.timeToBlockExpire);
    return super.throwThrottlingException(context, detail);
  }

  /** An IPv6 client counts by its /64, as the library's own tracker does: one host holds the whole block. */
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const { actor, ip } = req as unknown as AuthenticatedRequest;
    if (actor) return `actor:${actor.id}`;
    return ip ? `ip:${await super.getTracker(req)}` : 'ip:unknown';
  }
}
