import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { InvalidInputError } from '@nqpf/domain';
import { AuthenticatedRequest } from './authenticated-request';

/**
 * Input a route never reads is refused, not ignored: a body sent to a route without one (an `accept` with
 * `missing` and `reasons`, a `close` with a date), or query parameters on a route without any (a
 * `?dryRun=true` on a command that then ran for real). The caller believed it set something; a 400
 * `invalid_input` naming what was sent (field `body`, or the first query parameter) says it did not. Routes
 * that read the whole request (@Req) are left to themselves.
 */
@Injectable()
export class UnreadInputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const reads = paramTypes(context);
    if (reads.has(RouteParamtypes.REQUEST)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { query?: unknown }>();
    const body = fieldsOf(request.body);
    if (body.length > 0 && !reads.has(RouteParamtypes.BODY))
      throw new InvalidInputError('body', `this route takes no body; remove ${body.join(', ')}`);
    const query = fieldsOf(request.query);
    if (query.length > 0 && !reads.has(RouteParamtypes.QUERY))
      throw new InvalidInputError(
        query[0]!,
        `this route takes no query parameters; remove ${query.join(', ')}`,
      );
    return true;
  }
}

/** The kinds of input the route's handler takes (@Body, @Query, @Req …), from Nest's own metadata. */
function paramTypes(context: ExecutionContext): Set<number> {
  const args: Record<string, unknown> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return new Set(Object.keys(args).map((key) => Number(key.split(':')[0])));
}

function fieldsOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}
