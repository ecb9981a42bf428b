import fc from 'fast-check';
import type { JsonSchema, Operation } from './openapi-operations';

/** One hostile request: a raw body (sent as application/json, as is), raw path values and a raw query. */
export interface BadInput {
  kind: string;
  body?: string;
  path: Record<string, string>;
  query: string;
}

/** Strings that break naive code: lone surrogates, bidi overrides, NUL, BOM, zero-width, full-width digits. */
export const EDGE_STRINGS = [
  '',
  ' ',
  '\uD800',
  '\uDFFF',
  'a\uDC00b',
  '\u202Eevil\u202C',
  'שלום עולם',
  'a\u0000b',
  '\u0000',
  '\uFEFF2026',
  '\u200B',
  '２０２６',
  '🏳️‍🌈👨‍👩‍👧‍👦',
  'Z\u0351\u0352\u0353\u0354',
  '../../etc/passwd',
  "'; drop table event_store.events; --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  '2026-02-30',
  '9999-99-99',
  '-1',
  'NaN',
  'Infinity',
  '1e999',
];

export const EDGE_NUMBERS = [
  -1,
  -0,
  0,
  0.5,
  -2147483649,
  2147483648,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

const edgeString = fc.constantFrom(...EDGE_STRINGS);

/** A value of the wrong type, or the right type with a hostile value. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...EDGE_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  edgeString,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** A plausible value for a schema, so that one bad field at a time reaches validation. */
export function plausible(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 5) return 'x';
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'array':
      return [plausible(schema.items, depth + 1)];
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([k, v]) => [k, plausible(v, depth + 1)]),
      );
    default:
      return schema.format === 'date'
        ? '2026-03-01'
        : schema.format === 'date-time'
          ? '2026-03-01T00:00:00Z'
          : 'x';
  }
}

/** Bodies built from the operation's schema: one field wrong, fields missing, fields added, wrong shape. */
export function badBody(schema: JsonSchema): fc.Arbitrary<{ kind: string; body: string }> {
  const valid = plausible(schema) as Record<string, unknown>;
  const fields = Object.keys(schema.properties ?? {});
  const field = fields.length > 0 ? fc.constantFrom(...fields) : fc.constant('anything');
  const json = (kind: string) => (value: unknown) => ({ kind, body: JSON.stringify(value) });
  return fc.oneof(
    fc.tuple(field, badValue).map(([f, v]) => json(`wrong value for ${f}`)({ ...valid, [f]: v })),
    fc.subarray(fields, { minLength: 1 }).map((drop) => json(`missing ${drop.join(',')}`)(omit(valid, drop))),
    fc
      .dictionary(fc.string({ minLength: 1, maxLength: 12 }), badValue, { minKeys: 1, maxKeys: 3 })
      .map((extra) => json('extra fields')({ ...valid, ...extra })),
    fc
      .tuple(field, fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.boolean())
      .map(([f, key, nested]) => ({
        kind: `${key} key`,
        // JSON text, because an object literal's __proto__ would not be an own key and would vanish.
        body: nested
          ? JSON.stringify({ ...valid, [f]: 'PLACEHOLDER' }).replace(
              '"PLACEHOLDER"',
              `{"${key}":{"polluted":true,"isAdmin":true}}`,
            )
          : `{"${key}":{"polluted":true},${JSON.stringify(valid).slice(1)}`.replace(',}', '}'),
      })),
    badValue.map(json('body of the wrong shape')),
    fc.constantFrom(...MALFORMED_JSON).map((body) => ({ kind: 'malformed JSON', body })),
    fc.string({ unit: 'binary', maxLength: 60 }).map((body) => ({ kind: 'garbage', body })),
  );
}

export const MALFORMED_JSON = [
  '{',
  '{"a":',
  '[',
  'nul',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '{"year":1e999}',
  '{"a":"\\ud800"}',
  '{"a":"\u0000"}',
  '\u0000',
  '"just a string"',
  '123',
  'true',
  'null',
];

/** Path values: percent-encoded text of any kind, broken escapes, traversal, very long ids. */
export const badPathValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s) || 'x'),
  edgeString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '')) || 'x'),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%D8%00',
    '%ED%A0%80',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '-1',
    'NaN',
    '1e999',
    '0x10',
    'a'.repeat(5000),
  ),
);

/** A raw query string for the operation's query parameters: bad scalars, repeats, nested and prototype keys. */
export function badQuery(op: Operation): fc.Arbitrary<string> {
  if (op.queryParams.length === 0) return fc.constant('');
  const name = fc.constantFrom(...op.queryParams.map((q) => q.name));
  const part = fc.oneof(
    fc.tuple(name, badPathValue).map(([n, v]) => `${n}=${v}`),
    fc
      .tuple(name, fc.constantFrom(...EDGE_NUMBERS.map(String)))
      .map(([n, v]) => `${n}=${encodeURIComponent(v)}`),
    name.map((n) => `${n}=1&${n}=2`),
    name.map((n) => `${n}[a]=1`),
    name.map((n) => `${n}[__proto__][polluted]=1`),
    name.map((n) => `${n}`),
    fc.constant('__proto__[polluted]=1'),
  );
  return fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('&'));
}

/** Property-based bad inputs for one operation. */
export function badInputs(op: Operation): fc.Arbitrary<BadInput> {
  const path = fc.record(
    Object.fromEntries(op.pathParams.map((p) => [p, badPathValue])) as Record<string, fc.Arbitrary<string>>,
  );
  const body = op.body ? fc.option(badBody(op.body), { nil: undefined, freq: 4 }) : fc.constant(undefined);
  return fc.tuple(path, body, badQuery(op)).map(([p, b, query]) => ({
    kind: b?.kind ?? (query ? 'bad query' : 'bad path'),
    body: b?.body,
    path: p,
    query,
  }));
}

/** Sizes no property run would reach: over the body limit, just under it, huge arrays, deep nesting. */
export function oversizedInputs(op: Operation): BadInput[] {
  const path = Object.fromEntries(op.pathParams.map((p) => [p, 'x']));
  const schema = op.body;
  if (!schema)
    return [
      {
        kind: 'very long path value',
        // Up to 12 000 characters in all: Node refuses a request line past its 16 kB header limit itself (431,
        // no body) before the service sees it, which says nothing about the service.
        path: Object.fromEntries(
          op.pathParams.map((p) => [p, 'a'.repeat(Math.min(6000, Math.floor(12000 / op.pathParams.length)))]),
        ),
        query: '',
      },
    ];
  const valid = plausible(schema) as Record<string, unknown>;
  const field = Object.keys(schema.properties ?? {})[0] ?? 'anything';
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return [
    {
      kind: '1 MB string',
      body: JSON.stringify({ ...valid, [field]: 'x'.repeat(1024 * 1024) }),
      path,
      query: '',
    },
    {
      kind: '90 kB string',
      body: JSON.stringify({ ...valid, [field]: '界'.repeat(30000) }),
      path,
      query: '',
    },
    {
      kind: '1 MB array',
      body: JSON.stringify({ ...valid, [field]: new Array(200000).fill(1) }),
      path,
      query: '',
    },
    {
      kind: '20k-element array',
      body: JSON.stringify({ ...valid, [field]: new Array(20000).fill('x') }),
      path,
      query: '',
    },
    {
      kind: 'top-level array',
      body: JSON.stringify(new Array(20000).fill(valid))
        .slice(0, 99000)
        .replace(/,[^,]*$/, ']'),
      path,
      query: '',
    },
    {
      kind: 'nesting 5000 deep',
      body: JSON.stringify({ ...valid, [field]: 'PLACEHOLDER' }).replace('"PLACEHOLDER"', nested(5000)),
      path,
      query: '',
    },
    { kind: 'array nesting 20000 deep', body: `${'['.repeat(20000)}${']'.repeat(20000)}`, path, query: '' },
    {
      kind: '3000 keys',
      body: JSON.stringify({
        ...valid,
        ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])),
      }),
      path,
      query: '',
    },
  ];
}

function omit(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}
