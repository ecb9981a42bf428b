import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import type { ReadApiSchemaName } from './read-api.schemas';

const schemaOf = (name: ReadApiSchemaName) => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;

/** What each error status means on the read routes; the body is always an ErrorBody. */
const ERRORS = {
  400: 'a bad parameter, one the route does not take, or one given twice; the message starts with its name',
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
  const statuses = [...new Set<ErrorStatus>([...errors, 503])].sort((a, b) => a - b);
  return applyDecorators(
    ApiOkResponse({ description, schema: schemaOf(ok) }),
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERRORS[status], schema: schemaOf('ErrorBody') }),
    ),
  );
}
