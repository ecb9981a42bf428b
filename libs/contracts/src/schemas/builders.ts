import type { JsonType, PayloadSchema } from '../payload-schema';

/*
 * Small builders for payload schemas in the PayloadSchema subset. Objects list every field; the ones
 * named in `optional` may be absent. additionalProperties stays open: a version may gain optional fields.
 */

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** An ISO 8601 instant with an offset, as the services write them (e.g. 2026-03-10T09:00:00+08:00). */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$';
export const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** Integer fen as a decimal string; never a JSON number. */
export const FEN_PATTERN = '^(0|[1-9][0-9]*)$';

export const text = (minLength = 1): PayloadSchema => ({ type: 'string', minLength });
export const anyText = (): PayloadSchema => ({ type: 'string' });
export const date = (): PayloadSchema => ({ type: 'string', pattern: DATE_PATTERN });
export const instant = (): PayloadSchema => ({ type: 'string', pattern: INSTANT_PATTERN });
export const sha256 = (): PayloadSchema => ({ type: 'string', pattern: SHA256_PATTERN });
export const fen = (): PayloadSchema => ({ type: 'string', pattern: FEN_PATTERN });
export const integer = (minimum?: number, maximum?: number): PayloadSchema => ({
  type: 'integer',
  ...(minimum === undefined ? {} : { minimum }),
  ...(maximum === undefined ? {} : { maximum }),
});
export const bool = (): PayloadSchema => ({ type: 'boolean' });
/** Any JSON value (recorded inputs and outcomes whose shape belongs to libs/rules). */
export const anything = (): PayloadSchema => ({});
export const anyObject = (): PayloadSchema => ({ type: 'object' });

export function oneOf(values: readonly string[]): PayloadSchema {
  return { type: 'string', enum: values };
}

export function list(items: PayloadSchema): PayloadSchema {
  return { type: 'array', items };
}

/** The same schema, also allowing null. */
export function nullable(schema: PayloadSchema): PayloadSchema {
  if (schema.type === undefined) return schema;
  const types: JsonType[] = Array.isArray(schema.type) ? [...schema.type] : [schema.type];
  const withNull: PayloadSchema = { ...schema, type: [...types, 'null'] };
  if (schema.enum) withNull.enum = [...schema.enum, null];
  return withNull;
}

export function object(
  properties: Record<string, PayloadSchema>,
  optional: readonly string[] = [],
): PayloadSchema {
  for (const name of optional) {
    if (!(name in properties)) throw new Error(`optional field ${name} is not a property`);
  }
  return {
    type: 'object',
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}
