import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import type { ReadApiSchemaName } from './read-api.schemas';

const schemaOf = (name: ReadApiSchemaName) => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

/** What each error status means on the read routes; the body is always an ErrorBody. */
const ERRORS = {
  400: 'a bad parameter, one the route does not take, or one given twice (the message starts with its name); an export past its row limit',
  401: 'no token, or one that is not valid',
  403: 'the role may not call this route',
  404: 'no such center in your scope (existence outside it is not disclosed)',
  409: 'a rebuild of that read model is already running',
  429: 'as-of replays busy on this replica, or one of yours still running; retry after Retry-After seconds',
  503: 'a dependency (the database, the identity provider’s keys) cannot be reached now; retry after Retry-After seconds',
} as const;
export type ErrorStatus = keyof typeof ERRORS;

/** A 200 answering the named schema, and the errors the route can answer (503 on every route). */
export function ApiAnswers(ok: ReadApiSchemaName, description: string, errors: ErrorStatus[]) {
  return applyDecorators(ApiOkResponse({ description, schema: schemaOf(ok) }), ...errorAnswers(errors));
}

/** A 200 answering CSV (RFC 4180, UTF-8 with a byte order mark), and the errors, which are JSON. */
export function ApiCsvAnswers(description: string, errors: ErrorStatus[]) {
  return applyDecorators(
    ApiOkResponse({ description, content: { 'text/csv': { schema: { type: 'string' } } } }),
    ...errorAnswers(errors),
  );
}

/** Each error status with an ErrorBody; a route that can answer 401 takes a bearer token. */
function errorAnswers(errors: ErrorStatus[]) {
  const statuses = [...new Set<ErrorStatus>([...errors, 503])].sort((a, b) => a - b);
  return [
    ...(statuses.includes(401) ? [ApiBearerAuth()] : []),
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERRORS[status], schema: schemaOf('ErrorBody') }),
    ),
  ];
}
