import type { Response } from 'supertest';
import { readCommittedReadApi } from '../read-api.file';
import type { ReadApiSchemaName } from '../read-api.schemas';
import { readApiErrors } from './conforms';

type Operation = {
  responses: Record<
    string,
    { content?: Record<string, { schema?: { $ref?: string } }>; headers?: Record<string, unknown> }
  >;
};
type Paths = Record<string, Record<string, Operation>>;

let routes: { template: string; pattern: RegExp; methods: Record<string, Operation> }[] | undefined;

/** The document's routes, literal segments before parameters (`/standing/as-of` before `/standing/{centerId}`). */
function routeTable() {
  routes ??= Object.entries((readCommittedReadApi() as { paths: Paths }).paths)
    .map(([template, methods]) => ({
      template,
      methods,
      pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }))
    .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  return routes;
}

/**
 * Where an answer of the registry breaks the committed read API document (docs/contracts/read-api.openapi.yaml):
 * a route or status it does not list, a header it lists that the answer lacks (when the answer's headers are
 * given), or a JSON body that does not conform to the schema listed for it.
 */
export function answerErrors(
  method: string,
  url: string,
  status: number,
  contentType: string,
  body: unknown,
  headers?: Record<string, unknown>,
): string[] {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  const route = routeTable().find((r) => r.pattern.test(path));
  const operation = route?.methods[method.toLowerCase()];
  if (!route || !operation) return [`${method} ${path} is not in the read API document`];
  const response = operation.responses[String(status)];
  if (!response) return [`${method} ${route.template} answered ${status}, which the document does not list`];
  const missing = Object.keys(response.headers ?? {}).filter(
    (name) => headers !== undefined && headers[name.toLowerCase()] === undefined,
  );
  if (missing.length > 0)
    return missing.map((name) => `${method} ${route.template} ${status} answered without its ${name} header`);
  if (!contentType.startsWith('application/json')) return [];
  const ref = response.content?.['application/json']?.schema?.$ref;
  if (!ref) return [`${method} ${route.template} ${status} answered JSON without a schema for it`];
  const name = ref.replace('#/components/schemas/', '') as ReadApiSchemaName;
  return readApiErrors(name, body).map((e) => `${method} ${route.template} ${status} (${name}): ${e}`);
}

/** Checks a supertest answer against the committed read API document and hands it back. */
export function conforming(res: Response): Response {
  const req = (res as unknown as { req: { method: string; path: string } }).req;
  const errors = answerErrors(
    req.method,
    req.path,
    res.status,
    String(res.headers['content-type'] ?? ''),
    res.body,
    res.headers,
  );
  expect({ answer: `${req.method} ${req.path} ${res.status}`, errors }).toEqual({
    answer: `${req.method} ${req.path} ${res.status}`,
    errors: [],
  });
  return res;
}
