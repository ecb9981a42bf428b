import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
} from '@nestjs/common';
import {
  DomainError,
  InvalidInputError,
  quotedInput,
  UnknownEventTypeError,
  UnknownSchemaVersionError,
} from '@nqpf/domain';
import { isLostDatabaseConnection, NotReadyYet } from '@nqpf/messaging';
import type { Response } from 'express';
import { AuthLogger, logDenial } from '../access/denial-log';
import { hiddenDenialOf } from '../access/object-access';
import { ForbiddenError, IdentityKeysUnavailableError, UnauthenticatedError } from '../errors';
import { AuthenticatedRequest, routeOf } from './authenticated-request';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Domain errors add the field or rule they are about. */
  [detail: string]: unknown;
}

/**
 * Every error leaves as { statusCode, error, message } — never a stack trace (that goes to the log for 5xx).
 * ForbiddenError from assertCanActOrNotFound becomes a logged 403 naming actor, role, route, object and
 * reason; an object outside the actor's scope leaves as the route's 404 for an unknown id, logged the same
 * way with status 404; other domain errors keep their status, code and details.
 */
@Catch()
export class SecurityExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: AuthLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    if (error instanceof ForbiddenError) {
      logDenial(this.logger, {
        status: 403,
        actorId: error.denial.actorId ?? req.actor?.id,
        role: error.denial.role ?? req.actor?.role,
        route: routeOf(req),
        objectId: error.denial.objectId ?? null,
        reason: error.reason,
      });
    }
    const hidden = hiddenDenialOf(error);
    if (hidden) {
      logDenial(this.logger, {
        status: 404,
        actorId: hidden.actorId ?? req.actor?.id,
        role: hidden.role ?? req.actor?.role,
        route: routeOf(req),
        objectId: hidden.objectId ?? null,
        reason: hidden.reason,
      });
    }
    const body = boundedErrorBody(errorBody(error));
    const retryAfter = retryAfterOf(error);
    // What passes by itself (a copy catching up, a lost connection) is answered with Retry-After and
    // logged as a warning; any other 5xx is an error, with its stack. A replica older than the object is
    // both: another replica may serve it, but it persists while this one runs (a rollback: for good).
    if (error instanceof UnknownEventTypeError)
      this.logger.error(
        {
          route: routeOf(req),
          streamId: error.streamId,
          version: error.version,
          eventType: error.eventType,
          schemaVersion: error instanceof UnknownSchemaVersionError ? error.schemaVersion : undefined,
        },
        'replica older than object: unknown event type in its stream',
      );
    else if (body.statusCode >= 500 && retryAfter !== undefined)
      // The cause, which the answer may not say (e.g. why the identity provider's keys could not be read).
      this.logger.warn(
        { route: routeOf(req), reason: error instanceof Error ? error.message : body.message },
        'request deferred',
      );
    else if (body.statusCode >= 500) this.logger.error({ err: error, route: routeOf(req) }, 'request failed');
    const res = http.getResponse<Response>();
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    // An export's own headers (text/csv, attachment) would otherwise label the error as the file.
    res.removeHeader('content-disposition');
    res.status(body.statusCode).type('application/json').json(body);
  }
}

/**
 * Longest text an error answer carries in one of its fields. Messages quote input cut short (libs/domain's
 * quotedInput), but a state or an id built from input (a 3 000-character path parameter in a 404, an id in a
 * 409) would otherwise come back whole.
 */
export const MAX_ERROR_TEXT = 1000;

/** The answer with each text cut after MAX_ERROR_TEXT characters ('…'). */
export function boundedErrorBody(body: ErrorBody): ErrorBody {
  const bounded: ErrorBody = { ...body };
  for (const [key, value] of Object.entries(body))
    if (typeof value === 'string' && value.length > MAX_ERROR_TEXT)
      bounded[key] = quotedInput(value, MAX_ERROR_TEXT);
  return bounded;
}

/** A refusal that passes: the answer says how many seconds to wait (Retry-After) and nothing was done. */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfterS: number,
  ) {
    super({ statusCode: status, error: statusText(status), message }, status);
  }
}

/** Seconds to wait before retrying, for the errors that pass by themselves. */
export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof RetryLaterException) return error.retryAfterS;
  if (isLostDatabaseConnection(error) || error instanceof NotReadyYet) return 1;
  // Long enough for a rolling update to bring a newer replica up, short enough for a client to wait out.
  if (error instanceof UnknownEventTypeError) return 5;
  // A failing key set is tried again every AUTH_JWKS_COOLDOWN_S (default 5 s).
  if (error instanceof IdentityKeysUnavailableError) return 5;
  return undefined;
}

/** The public face of an error. Unknown errors say nothing about their cause. */
export function errorBody(error: unknown): ErrorBody {
  // Domain errors name their field, rule or state; a stale expected version is a conflict to retry.
  if (error instanceof DomainError) {
    return { statusCode: error.status, error: error.code, message: error.message, ...error.details };
  }
  if (error instanceof Error && error.name === 'StaleVersionError') {
    return { statusCode: 412, error: 'precondition_failed', message: error.message };
  }
  if (error instanceof Error && error.name === 'ConcurrencyConflictError') {
    return { statusCode: 409, error: 'concurrency_conflict', message: `${error.message}; reload and retry` };
  }
  if (error instanceof Error && error.name === 'CalendarYearNotCoveredError') {
    // Not the caller's fault: the holiday data of that year has not been loaded yet (A9.3 counts working
    // days). Retry once an operator has added it (NQPF_CALENDAR_YEARS); nothing was recorded.
    const { year, coveredYears } = error as Error & { year?: number; coveredYears?: number[] };
    return {
      statusCode: 503,
      error: 'calendar_year_not_covered',
      message: error.message,
      year,
      coveredYears,
    };
  }
  if (error instanceof NotReadyYet) return { statusCode: 503, error: 'not_ready', message: error.message };
  if (error instanceof UnknownEventTypeError)
    // The object's stream holds a newer release's event type (a rolling update, a rollback): this replica
    // cannot read it, a newer one can. The stream and its version go to the log, not to the caller.
    return {
      statusCode: 503,
      error: 'replica_older_than_object',
      message: `this replica does not know ${error.unknown} recorded on this object (a newer release wrote it); retry: another replica may serve it`,
      eventType: error.eventType,
    };
  if (error instanceof IdentityKeysUnavailableError)
    // The token was not judged: the provider's keys could not be read. Its cause goes to the log only.
    return {
      statusCode: 503,
      error: 'identity_keys_unavailable',
      message: "the identity provider's keys cannot be read now; retry",
    };
  if (error instanceof Error && error.name === 'TruncatedTopicError') {
    // A replay (rebuild, as-of) refused a topic whose first records are gone: an operator's matter, said
    // as it is (a topic and a partition, no secret) rather than as an unexplained 500.
    return { statusCode: 500, error: 'topic_truncated', message: error.message };
  }
  if (error instanceof UnauthenticatedError)
    return { statusCode: 401, error: 'Unauthorized', message: error.message };
  if (error instanceof BadRequestException && /^Failed to decode param '/.test(error.message)) {
    // Express could not percent-decode a path parameter (`/standing/%E0`) and Nest handed its URIError on
    // as a Bad Request. Which parameter is not known (no route matched yet): the path is named, and the
    // value is not echoed.
    return errorBody(new InvalidInputError('path', 'has a %-escape that does not decode as UTF-8'));
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse();
    const fields =
      typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const message = fields.message ?? (typeof response === 'string' ? response : error.message);
    return {
      statusCode,
      error: typeof fields.error === 'string' ? fields.error : statusText(statusCode),
      message: Array.isArray(message) ? message.join('; ') : String(message),
      // The validation pipe names the property it refused.
      ...(typeof fields.field === 'string' ? { field: fields.field } : {}),
    };
  }
  const bodyParser = bodyParserError(error);
  if (bodyParser) return bodyParser;
  if (isPostgresDataException(error)) {
    // A safety net: such input should have been refused by validation, naming its field. The value that
    // reached the database came from the request, so this is the caller's error, not a server fault.
    // It has no `field`: PostgreSQL's error does not say which of the request's fields the value came from.
    return {
      statusCode: 400,
      error: 'invalid_input',
      message: 'a value in the request is out of range or malformed for its type',
    };
  }
  if (isLostDatabaseConnection(error)) {
    // The transaction rolled back (or its outcome is unknown to us only if the commit itself was cut):
    // a retry with the same Idempotency-Key is safe either way.
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'the database connection was lost; retry with the same Idempotency-Key',
    };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'internal error' };
}

/**
 * body-parser's own errors (too large, bad JSON) carry a status and a type; a body that does not inflate
 * (Content-Encoding gzip, deflate or br) carries a 4xx status marked `expose`, without a type. A 400 among
 * them is the domain's `invalid_input` about the field `body`.
 */
export function bodyParserError(error: unknown): ErrorBody | undefined {
  const { status, type, expose, limit } = (error ?? {}) as {
    status?: number;
    type?: string;
    expose?: boolean;
    limit?: unknown;
  };
  if (type === 'entity.too.large')
    // The limit of the route's parser (a report's route takes more than others), in bytes as counted:
    // the JSON as sent, or as inflated when it came compressed.
    return {
      statusCode: 413,
      error: 'Payload Too Large',
      message:
        typeof limit === 'number'
          ? `request body too large: this route takes at most ${limit} bytes of JSON (counted after any Content-Encoding is undone)`
          : 'request body too large',
      field: 'body',
      ...(typeof limit === 'number' ? { limitBytes: limit } : {}),
    };
  if (type === 'entity.parse.failed') return errorBody(new InvalidInputError('body', 'is not valid JSON'));
  const clientError = typeof status === 'number' && status >= 400 && status < 500;
  if (clientError && (typeof type === 'string' || expose === true))
    return status === 400
      ? errorBody(new InvalidInputError('body', 'could not be read as sent (its Content-Encoding or length)'))
      : { statusCode: status, error: statusText(status), message: 'request body rejected' };
  return undefined;
}

/** node-postgres errors carry the SQLSTATE in `code` and a `severity`; class 22 is "data exception". */
function isPostgresDataException(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code) && typeof severity === 'string';
}

function statusText(status: number): string {
  const name = HttpStatus[status];
  return typeof name === 'string'
    ? name
        .toLowerCase()
        .split('_')
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join(' ')
    : 'Error';
}
