/*
 * Writes docs/contracts/read-api.openapi.yaml, the registry's OpenAPI document (what /docs-json serves), from
 * the routes' decorators and the schemas in apps/registry/src/read-api. Run after changing either, then
 * commit the output:
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register apps/registry/scripts/generate-read-api.ts
 * read-api.drift.unit.spec.ts fails while the committed file differs from what this writes.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildReadApiDocument } from '../src/read-api/read-api.document';
import { READ_API_DOCUMENT_PATH, readApiYaml } from '../src/read-api/read-api.file';

async function main(): Promise<void> {
  writeFileSync(READ_API_DOCUMENT_PATH, readApiYaml(await buildReadApiDocument()));
  console.log(`wrote ${READ_API_DOCUMENT_PATH}`);
}

void main();
