import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import { buildAsyncApiDocument } from './asyncapi';
import { eventJsonSchema } from './json-schema';
import { EVENT_CONTRACTS, schemaFilePath, type EventContract } from './registry';

/**
 * SHA-256 (hex) of everything generate-contracts.ts writes, the version aside: the AsyncAPI document without
 * info.version and every JSON Schema file by its path, as canonical JSON. Any change to a message, a schema,
 * a description or the document's own text changes it.
 */
export function eventContractsDigest(contracts: readonly EventContract[] = EVENT_CONTRACTS): string {
  const asyncapi = buildAsyncApiDocument(contracts);
  const content = {
    asyncapi: { ...asyncapi, info: { ...asyncapi.info, version: undefined } },
    schemas: Object.fromEntries(contracts.map((c) => [schemaFilePath(c), eventJsonSchema(c)])),
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
