import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import type { ReadApiSchemaName } from './read-api.schemas';

const schemaOf = (name: ReadApiSchemaName) => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

/** What each error status means on the read routes; the body is always an ErrorBody. */
const ERRORS = {
  400: 'a bad parameter, one the route does not take, or one given twice (the message starts with its name); an export past its row limit',
  401: 'no token, or one that is not valid',
  403: 'the role may not call this route (the description names those that may)',
  404: 'no such center in your scope (existence outside it is not disclosed)',
  409: 'a rebuild of that read model is already running',
  429: 'as-of replays busy on this replica, or one of yours still running; retry after Retry-After seconds',
  503: 'a dependency (the database, the identity provider’s keys) cannot be reached now; retry after Retry-After seconds',
} as const;
export type ErrorStatus = keyof typeof ERRORS;

/**
 * The 429 of a rate-limited route (public, or @RateLimited: libs/auth RateLimitGuard), per route and caller.
 * Its body is the limiter's, through the same exception filter: an ErrorBody without field.
 */
export const RATE_LIMITED =
  'more than SECURITY_RATE_LIMIT calls of this route (default 60) in SECURITY_RATE_WINDOW_S seconds (default 60) from one caller (its token’s user, else its IP address); retry after Retry-After seconds. The message is the limiter’s own: "ThrottlerException: Too Many Requests"';

/** An error a route can answer: a status as ERRORS describes it, or its rate limit's 429. */
export type ErrorAnswer = ErrorStatus | 'rate limited';

/**
 * The validator Express puts on every body it sends (a JSON answer's, not a streamed CSV's): a weak hash of
 * the body, not a version. A GET sending it back as If-None-Match is answered 304 when the body is the same.
 */
const ETAG = {
  ETag: {
    description:
      'W/"<length>-<hash of the body>", a weak validator of this answer; send it back as If-None-Match on a GET to be answered 304 while the answer is the same',
    schema: { type: 'string' },
  },
};
const NOT_MODIFIED =
  'Not Modified, without a body: the answer is the one whose ETag the If-None-Match header names (the route still runs to compare: an as-of replay costs what it does)';

/**
 * A 200 answering the named schema with its ETag, and the errors the route can answer (503 on every route).
 * A GET also answers 304 to a conditional request; Express revalidates no other method, so a POST says so.
 */
export function ApiAnswers(
  ok: ReadApiSchemaName,
  description: string,
  errors: ErrorAnswer[],
  method: 'GET' | 'POST' = 'GET',
) {
  return applyDecorators(
    ApiOkResponse({ description, schema: schemaOf(ok), headers: ETAG }),
    ...(method === 'GET' ? [ApiResponse({ status: 304, description: NOT_MODIFIED })] : []),
    ...errorAnswers(errors),
  );
}

/** An export's 429: its gate's (csv-export.ts ExportGate), not the as-of replays'. */
const EXPORTS_BUSY =
  'CSV exports busy on this replica (EXPORT_CONCURRENCY), or one of yours still being written; retry after Retry-After seconds';

/**
 * A 200 answering CSV (RFC 4180, UTF-8 with a byte order mark), streamed (chunked: a transfer cut short is
 * an incomplete file, never a whole one), and the errors, which are JSON.
 */
export function ApiCsvAnswers(description: string, errors: ErrorAnswer[]) {
  return applyDecorators(
    ApiOkResponse({ description, content: { 'text/csv': { schema: { type: 'string' } } } }),
    ...errorAnswers(errors, { ...ERRORS, 429: EXPORTS_BUSY }),
  );
}

/** Each error status with an ErrorBody; a route that can answer 401 takes a bearer token. */
function errorAnswers(errors: ErrorAnswer[], descriptions: Record<ErrorStatus, string> = ERRORS) {
  const rateLimited = errors.includes('rate limited');
  const statuses = [
    ...new Set<ErrorStatus>([
      ...errors.filter((e): e is ErrorStatus => e !== 'rate limited'),
      ...(rateLimited ? [429 as const] : []),
      503,
    ]),
  ].sort((a, b) => a - b);
  // A route limited that also runs as-of replays would answer 429 for either reason.
  const describe = (status: ErrorStatus) =>
    status !== 429 || !rateLimited
      ? descriptions[status]
      : errors.includes(429)
        ? `${descriptions[429]}; or ${RATE_LIMITED}`
        : RATE_LIMITED;
  return [
    ...(statuses.includes(401) ? [ApiBearerAuth()] : []),
    ...statuses.map((status) =>
      ApiResponse({ status, description: describe(status), schema: schemaOf('ErrorBody') }),
    ),
  ];
}
