import { createParamDecorator, ExecutionContext, SetMetadata, UnauthorizedException } from '@nestjs/common';
import type { Actor } from '@nqpf/contracts';
import { Identity } from '../identity/identity';
import { TokenRole } from '../roles';
import { AuthenticatedRequest } from './authenticated-request';

export const IS_PUBLIC = 'nqpf:auth:public';
export const ROLES = 'nqpf:auth:roles';
export const READ_ONLY_ACTION = 'nqpf:auth:read-only-action';
export const ALLOWED_BODY_FIELDS = 'nqpf:auth:allowed-body-fields';
export const RATE_LIMITED = 'nqpf:auth:rate-limited';
export const SKIP_RATE_LIMIT = 'nqpf:auth:skip-rate-limit';
/**
 * The route checks the version in `If-Match` (set by libs/platform's @TakesIfMatch() and @IfMatch()); on
 * any other route the header is refused (UnreadInputGuard), not ignored.
 */
export const TAKES_IF_MATCH = 'nqpf:auth:takes-if-match';

/**
 * Reachable without a token (a valid token, if sent, still sets the actor). Public routes are rate-limited
 * unless also marked @SkipRateLimit().
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles that may call the route; a non-public route without @Roles is denied to everyone. */
export const Roles = (...roles: TokenRole[]) => SetMetadata(ROLES, roles);

/** A non-GET route that changes nothing (e.g. an audit replay), so auditors may call it. */
export const ReadOnlyAction = () => SetMetadata(READ_ONLY_ACTION, true);

/** Lets these deny-listed fields (status, district, centerId, actor, id) through the mass-assignment check. */
export const AllowBodyFields = (...fields: string[]) => SetMetadata(ALLOWED_BODY_FIELDS, fields);

/**
 * Rate-limit an authenticated route too (public routes always are, unless @SkipRateLimit()); with a name,
 * also under that limit of its own (RateLimitModule: 'objections'), counted apart from other routes.
 */
export const RateLimited = (own?: 'objections') => SetMetadata(RATE_LIMITED, own ?? true);

/**
 * Never rate-limit this route or controller, even when @Public() or @RateLimited(): for operational routes
 * (/health, /health/live, /metrics) that probes and scrapers poll from a shared address, where a 429 would
 * make a pod unready. The one way to exempt a route here (RateLimitGuard reads it before anything else).
 */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/** The acting actor (record it in every event). Undefined only on a public route called without a token. */
export const CurrentActor = createParamDecorator(
  (optional: 'optional' | undefined, ctx: ExecutionContext) => {
    const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
    if (!actor && optional !== 'optional') throw new UnauthorizedException('missing bearer token');
    return actor as Actor;
  },
);

/** The verified identity behind the actor (all its roles, its display name). */
export const CurrentIdentity = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<AuthenticatedRequest>().identity as Identity,
);
