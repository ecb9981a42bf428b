/** One HTTP operation of a service, as its OpenAPI document (GET /docs-json) describes it. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. /candidacies/{id}/objections/{objectionId}/ruling */
  path: string;
  pathParams: string[];
  queryParams: { name: string; type?: string }[];
  /** The JSON request body's schema with $refs resolved (one level of components), if it takes one. */
  body?: JsonSchema;
}

export interface JsonSchema {
  type?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  $ref?: string;
  [other: string]: unknown;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The operations that take input a caller controls: a body, path parameters or query parameters. */
export function operationsWithInput(doc: OpenApiDocument): Operation[] {
  const resolve = (schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref && depth < 4) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      return resolve(doc.components?.schemas?.[name], depth + 1);
    }
    if (!schema.properties) return schema;
    const properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]),
    );
    return { ...schema, properties };
  };
  const operations: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      if (!METHODS.has(method)) continue;
      const params = op.parameters ?? [];
      const operation: Operation = {
        method: method as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, type: p.schema?.type })),
        body: resolve(op.requestBody?.content?.['application/json']?.schema),
      };
      if (operation.body || operation.pathParams.length > 0 || operation.queryParams.length > 0)
        operations.push(operation);
    }
  }
  return operations;
}

/** Fills a path template; values are inserted as given (already URL-encoded, or deliberately not). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x');
}
