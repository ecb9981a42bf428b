import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `data` as JSON in a new temporary directory, as an operator's file named in configuration would be. */
export function writeTempJson(fileName: string, data: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nqpf-')), fileName);
  writeFileSync(file, JSON.stringify(data));
  return file;
}
