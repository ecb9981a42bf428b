import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { InvalidInputError } from '@nqpf/domain';
import { AuthenticatedRequest } from './authenticated-request';
import { TAKES_IF_MATCH } from './decorators';
import { listedProblems } from './validation-pipe';

/**
 * Input a route never reads is refused, not ignored: a body sent to a route without one (an `accept` with
 * `missing` and `reasons`, a `close` with a date), or query parameters on a route without any (a
 * `?dryRun=true` on a command that then ran for real), or an `If-Match` on a route that checks no version
 * (a change someone else made since would be overwritten, not answered with a 412). The caller believed it
 * set something; a 400 `invalid_input` naming what was sent (field `body`, the first query parameter, or
 * `If-Match`) says it did not. A route takes If-Match when marked TAKES_IF_MATCH (libs/platform's
 * @TakesIfMatch() or @IfMatch()) or when it reads that header (@Headers); an empty one counts as none.
 * Routes that read the whole request (@Req) are left to themselves.
 */
@Injectable()
export class UnreadInputGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const args = routeArgs(context);
    const reads = new Set(args.map(({ type }) => type));
    if (reads.has(RouteParamtypes.REQUEST)) return true;
    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { query?: unknown; headers?: Record<string, unknown> }>();
    const body = fieldsOf(request.body);
    if (body.length > 0 && !reads.has(RouteParamtypes.BODY))
      throw new InvalidInputError('body', `this route takes no body; remove ${listedProblems(body, ', ')}`);
    const query = fieldsOf(request.query);
    if (query.length > 0 && !reads.has(RouteParamtypes.QUERY))
      throw new InvalidInputError(
        query[0]!,
        `this route takes no query parameters; remove ${listedProblems(query, ', ')}`,
      );
    const ifMatch = request.headers?.['if-match'];
    if (ifMatch !== undefined && ifMatch !== '' && !this.takesIfMatch(context, args))
      throw new InvalidInputError(
        'If-Match',
        'this route does not check versions (a change made since the version you read would not be refused); remove If-Match',
      );
    return true;
  }

  private takesIfMatch(context: ExecutionContext, args: RouteArg[]): boolean {
    const marked = this.reflector.getAllAndOverride<boolean | undefined>(TAKES_IF_MATCH, [
      context.getHandler(),
      context.getClass(),
    ]);
    return (
      marked === true ||
      args.some(
        ({ type, data }) =>
          type === RouteParamtypes.HEADERS &&
          (data === undefined || (typeof data === 'string' && data.toLowerCase() === 'if-match')),
      )
    );
  }
}

interface RouteArg {
  type: number;
  data: unknown;
}

/** The input the route's handler takes (@Body, @Query, @Headers('x'), @Req …), from Nest's own metadata. */
function routeArgs(context: ExecutionContext): RouteArg[] {
  const args: Record<string, { data?: unknown } | undefined> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return Object.entries(args).map(([key, arg]) => ({ type: Number(key.split(':')[0]), data: arg?.data }));
}

function fieldsOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}
