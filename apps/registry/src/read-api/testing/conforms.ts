import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { READ_API_SCHEMAS, type ReadApiSchemaName } from '../read-api.schemas';

/**
 * Test support: the read API's schemas compiled as JSON Schema draft 2020-12 (strict mode, as the event
 * contracts' files are), their `#/components/schemas/<name>` references resolved among themselves.
 */
const ROOT = 'https://contracts.nqpf.local/read-api';
let ajv: Ajv2020 | undefined;
const compiled = new Map<ReadApiSchemaName, ValidateFunction>();

function validatorOf(name: ReadApiSchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    // The OpenAPI document's references, pointed at the same schemas kept as $defs of one root.
    const defs = JSON.parse(JSON.stringify(READ_API_SCHEMAS).replaceAll('#/components/schemas/', '#/$defs/'));
    ajv ??= new Ajv2020({ strict: true, allErrors: true }).addSchema({ $id: ROOT, $defs: defs });
    validate = ajv.getSchema(`${ROOT}#/$defs/${name}`);
    if (!validate) throw new Error(`no read API schema ${name}`);
    compiled.set(name, validate);
  }
  return validate;
}

/** Where `body` breaks the named schema, as 'path message' lines; empty when it conforms. */
export function readApiErrors(name: ReadApiSchemaName, body: unknown): string[] {
  const validate = validatorOf(name);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** Asserts that an answer of the read API conforms to its schema (name and errors shown on failure). */
export function expectConformsTo(name: ReadApiSchemaName, body: unknown): void {
  expect({ schema: name, errors: readApiErrors(name, body) }).toEqual({ schema: name, errors: [] });
}
