/**
 * The JSON Schema (draft 2020-12, as OpenAPI 3.1 takes it) of the read API's answers, written as data.
 * Objects stay open (no additionalProperties: false): the answers' fields only ever grow.
 */
export interface JsonSchema {
  type?: JsonType | JsonType[];
  description?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: readonly unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  $ref?: string;
}
type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export const string = (description?: string): JsonSchema => ({ type: 'string', ...described(description) });
export const integer = (minimum?: number): JsonSchema => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
});
export const boolean = (): JsonSchema => ({ type: 'boolean' });
/** Any JSON value (a decision's inputs and outcome are the rule's own). */
export const anything = (description?: string): JsonSchema => ({ ...described(description) });
export const date = (): JsonSchema => ({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const instant = (): JsonSchema => ({
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
});
/**
 * Money: integer fen as a decimal string ("150000000" = 1,500,000.00 CNY), never a JSON number. The
 * description says so on every amount (the fields' names carry no unit), before what the amount is.
 */
export const fen = (description?: string): JsonSchema => ({
  type: 'string',
  pattern: '^-?\\d+$',
  description: `integer fen as a decimal string${description === undefined ? '' : `: ${description}`}`,
});
export const oneOfValues = (values: readonly string[]): JsonSchema => ({ type: 'string', enum: values });
export const list = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
/** A map whose keys are not known in advance (a grade per year, spending per category). */
export const map = (values: JsonSchema, keys?: JsonSchema): JsonSchema => ({
  type: 'object',
  ...(keys ? { propertyNames: keys } : {}),
  additionalProperties: values,
});

/** `schema` or null: the type list gains 'null' (an enum gains null too). */
export function nullable(schema: JsonSchema): JsonSchema {
  if (schema.$ref || schema.type === undefined) return { oneOf: [schema, { type: 'null' }] };
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return {
    ...schema,
    type: [...types, 'null'],
    ...(schema.enum ? { enum: [...schema.enum, null] } : {}),
  };
}

/** An object sending every property listed, except the `optional` ones; further properties may come. */
export function object(
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
  description?: string,
): JsonSchema {
  return {
    type: 'object',
    ...described(description),
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}

/** A reference to one of the read API's named schemas (components.schemas in the OpenAPI document). */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function described(description: string | undefined): JsonSchema {
  return description === undefined ? {} : { description };
}

/** A page of a list route (`limit`/`offset`): the matching total and the items of the named schema. */
export const page = (itemSchema: string): JsonSchema =>
  object({ total: integer(0), limit: integer(1), offset: integer(0), items: list(ref(itemSchema)) });
