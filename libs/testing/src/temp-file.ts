import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `text` in a new temporary directory, as an operator's file named in configuration would be. */
export function writeTempFile(fileName: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nqpf-')), fileName);
  writeFileSync(file, text);
  return file;
}

/** `data` as JSON in a new temporary file (writeTempFile). */
export function writeTempJson(fileName: string, data: unknown): string {
  return writeTempFile(fileName, JSON.stringify(data));
}
