import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The version a caller read (an `If-Match` header: `"3"`, `W/"3"` or `3`, as the `version` field or the
 * ETag gave it), or undefined when it sent none (or `*`). Anything else is a 400 naming the header.
 */
export function ifMatchVersion(header: unknown): number | undefined {
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = typeof header === 'string' ? /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim()) : null;
  if (!match)
    throw new BadRequestException(
      `If-Match: must be the version you read (the version field or the ETag, e.g. "3"), got ${JSON.stringify(header)}`,
    );
  return Number(match[1]);
}

/**
 * The version the caller's change is based on (ifMatchVersion of If-Match): given, a write to a record
 * changed since is a 409 instead of overwriting what someone else wrote meanwhile.
 */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): number | undefined =>
  ifMatchVersion(
    context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['if-match'],
  ),
);
