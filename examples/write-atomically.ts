import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';

/** The file operations writeAtomically makes (node:fs; a test records them). */
export type FileOps = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync'
>;

/**
 * Writes the file so that, once this returns, a power cut leaves it as written: the text is flushed before
 * the rename (the old file or the new one, never an empty one), and the directory after it. The rename is an
 * entry of the directory: until the directory is flushed (on ext4 or xfs, or the journal's next commit,
 * seconds later) a power cut can bring the old file back, after the caller has committed its Kafka offset
 * past the event the new one holds, which would then be missing for good. (Linux: a directory opens read-only.)
 */
export function writeAtomically(path: string, text: string, fs: FileOps = nodeFs): void {
  const fd = fs.openSync(`${path}.tmp`, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(`${path}.tmp`, path);
  const dir = fs.openSync(dirname(path), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
