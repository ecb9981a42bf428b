import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { TAKES_IF_MATCH } from '@nqpf/auth';
import { InvalidInputError } from '@nqpf/domain';

/**
 * The version a caller read (an `If-Match` header: `"3"` as the ETag gave it, or `3` as the `version`
 * field did), or undefined when it sent none (or `*`). Anything else is a 400 `invalid_input` naming the
 * header (field `If-Match`).
 */
export function ifMatchVersion(header: unknown): number | undefined {
  if (header === undefined || header === '' || header === '*') return undefined;
  // Strong only (RFC 9110: If-Match compares strongly): the ETag as sent, or the bare version.
  const match = typeof header === 'string' ? /^"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (!match)
    throw new InvalidInputError(
      'If-Match',
      `must be the version you read (the ETag as sent, e.g. "3", or the version field), got ${JSON.stringify(header)}`,
    );
  return Number(match[1]);
}

/** The record changed since the caller read it (If-Match): 412 Precondition Failed, nothing done. */
export class StaleVersionError extends Error {
  constructor(
    readonly read: number,
    readonly current: number,
  ) {
    super(
      `If-Match: you read version ${read}, it is at version ${current} now; read it again and redo your change`,
    );
    this.name = 'StaleVersionError';
  }
}

/** Refuses a change based on a version that is no longer the record's (none given: nothing to check). */
export function requireReadVersion(read: number | undefined, current: number): void {
  if (read !== undefined && read !== current) throw new StaleVersionError(read, current);
}

/**
 * The version the caller's change is based on (ifMatchVersion of If-Match): given, a write to a record
 * changed since is a 412 (requireReadVersion) instead of overwriting what someone else wrote meanwhile.
 * Marks its route as taking If-Match (TAKES_IF_MATCH): on a route without the mark, UnreadInputGuard
 * (libs/auth) refuses the header with a 400 instead of ignoring it.
 */
export const IfMatch = createParamDecorator(
  (_: unknown, context: ExecutionContext): number | undefined =>
    ifMatchVersion(
      context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['if-match'],
    ),
  [
    (target: object, key: string | symbol | undefined) => {
      if (key !== undefined)
        Reflect.defineMetadata(TAKES_IF_MATCH, true, (target as Record<string | symbol, object>)[key]!);
    },
  ],
);

/**
 * A route taking If-Match (with the parameter decorator @IfMatch()): its mark for UnreadInputGuard
 * (TAKES_IF_MATCH) and the OpenAPI document's word on it.
 */
export const TakesIfMatch = () =>
  applyDecorators(
    SetMetadata(TAKES_IF_MATCH, true),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the version read (the ETag of the GET, e.g. "3"): a change since is a 412, nothing done',
    }),
    ApiResponse({ status: 412, description: 'changed since the version in If-Match; read it again' }),
  );
