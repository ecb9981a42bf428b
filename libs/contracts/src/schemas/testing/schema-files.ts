import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventEnvelope } from '../../envelope';
import { PERSONAL_DATA_CATEGORIES, PERSONAL_DATA_KEYWORD } from '../personal-data';

/** Test support: the committed JSON Schema files (libs/contracts/schemas) and a draft 2020-12 validator. */
export const SCHEMAS_DIR = join(__dirname, '..', '..', '..', 'schemas');

/** Paths relative to SCHEMAS_DIR of every committed *.schema.json, e.g. 'review/center-recognized.v1.schema.json'. */
export function committedSchemaFiles(): string[] {
  return readdirSync(SCHEMAS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(SCHEMAS_DIR, d.name))
        .filter((f) => f.endsWith('.schema.json'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
}

export function readSchemaFile(relativePath: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, relativePath), 'utf8')) as Record<string, unknown>;
}

/**
 * A draft 2020-12 validator in strict mode (unknown keywords and type mistakes are errors) that knows the
 * personal-data mark, as a consumer's strict validator must (docs/contracts/README.md), and refuses a
 * category it does not know.
 */
export function contractsAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true }).addKeyword({
    keyword: PERSONAL_DATA_KEYWORD,
    metaSchema: { enum: Object.keys(PERSONAL_DATA_CATEGORIES) },
  });
}

/** Compiles every committed schema with contractsAjv(). */
export function compileSchemaFiles(): Map<string, ValidateFunction> {
  const ajv = contractsAjv();
  return new Map(committedSchemaFiles().map((file) => [file, ajv.compile(readSchemaFile(file))]));
}

/** Errors of a record value against its schema file, as 'path message' lines; empty when valid. */
export function errorsAgainstFile(validate: ValidateFunction, value: EventEnvelope): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
