import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCaptured } from '../run-captured.spec-helper';
import { run, type AuditInput } from './audit';

/**
 * `--out -` and `--heads -` (the heads file on stdout and stdin, for a pod whose filesystem is read-only:
 * `kubectl exec -i … --heads - < heads.json`). Without a database: a store the heads file does not name is
 * reported before any connection, which is enough to show what was read. audit.int.spec.ts takes real heads.
 */

const HEADS = {
  format: 'nqpf-stream-heads/1',
  takenAt: '2026-11-26T08:00:00.000Z',
  stores: { review: { 'center-a': { streamVersion: 1, hash: 'a'.repeat(64) } } },
};
/** A store no heads file here names, at an address nothing listens on. */
const INTAKE = 'intake=postgres://nqpf@127.0.0.1:1/intake';

const dir = mkdtempSync(join(tmpdir(), 'nqpf-audit-unit-'));
const keys = generateKeyPairSync('ed25519');
const privateKey = join(dir, 'intake.pem');
const publicKey = join(dir, 'intake.pub');
writeFileSync(privateKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
writeFileSync(publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }));

/** stdin as `kubectl exec -i … < file` gives it: the text in chunks, not a terminal. */
function piped(...chunks: string[]): AuditInput['stdin'] {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}

function audit(args: string[], stdin: AuditInput['stdin'] = piped()) {
  return runCaptured({ run: (a) => run(a, { NODE_ENV: 'production' }, { stdin }) }, args);
}

describe('nqpf audit --heads -', () => {
  it('verify reads the heads file from stdin, however it is split', async () => {
    const text = JSON.stringify(HEADS);
    const { code, output } = await audit(
      ['verify', '--database-url', INTAKE, '--heads', '-'],
      piped(text.slice(0, 10), text.slice(10, 40), text.slice(40)),
    );
    expect(output).toContain('against the stream heads taken at 2026-11-26T08:00:00.000Z');
    expect(output).toContain('warning: the heads file has store review, which was not verified');
    expect(output).toContain('intake: ERROR not in the heads file (it has review)');
    expect(code).toBe(1);
  });

  it.each([
    ['seal-heads', [], 'seal-heads: intake NOT sealed'],
    ['reseal', ['--retired-key', publicKey], 'reseal: intake NOT re-sealed'],
  ])('%s reads it from stdin too', async (action, more, refused) => {
    const { code, output } = await audit(
      [action, '--database-url', INTAKE, '--seal-key-file', privateKey, ...more, '--heads', '-'],
      piped(JSON.stringify(HEADS)),
    );
    expect(output).toContain('against the stream heads taken at 2026-11-26T08:00:00.000Z');
    expect(output).toContain(refused);
    expect(code).toBe(1);
  });

  it.each([
    ['nothing', '', '--heads stdin: not valid JSON'],
    ['no JSON', 'heads.json', '--heads stdin: not valid JSON'],
    [
      'no heads file',
      JSON.stringify({ ...HEADS, stores: { review: { 'center-a': { streamVersion: 1, hash: 'abc' } } } }),
      '--heads stdin: stores.review.center-a.hash: expected 64 hex digits',
    ],
  ])('refuses %s on stdin with exit 2, naming stdin', async (_, text, message) => {
    const { code, stderr } = await audit(['verify', '--database-url', INTAKE, '--heads', '-'], piped(text));
    expect(stderr.startsWith(`nqpf audit: ${message}`)).toBe(true);
    expect(code).toBe(2);
  });

  it('refuses a terminal for stdin without waiting on it', async () => {
    const terminal = Object.assign(piped(JSON.stringify(HEADS)), { isTTY: true });
    const { code, stderr } = await audit(['verify', '--database-url', INTAKE, '--heads', '-'], terminal);
    expect(stderr).toContain(
      '--heads -: give the heads file on stdin (kubectl exec -i … --heads - < heads.json)',
    );
    expect(code).toBe(2);
  });

  it('still reads a file named by its path, and says which one it could not read', async () => {
    const file = join(dir, 'heads.json');
    writeFileSync(file, JSON.stringify(HEADS));
    const read = await audit(['verify', '--database-url', INTAKE, '--heads', file]);
    expect(read.output).toContain('intake: ERROR not in the heads file (it has review)');
    const missing = await audit(['verify', '--database-url', INTAKE, '--heads', join(dir, 'none.json')]);
    expect(missing.stderr).toContain(`--heads: cannot read ${join(dir, 'none.json')}: ENOENT`);
    expect(missing.code).toBe(2);
  });
});

describe('nqpf audit heads --out -', () => {
  it('puts nothing on stdout when a store cannot be read, says why on stderr, and creates no file "-"', async () => {
    const { code, stdout, stderr } = await audit(['heads', '--database-url', INTAKE, '--out', '-']);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^nqpf audit: heads: .*ECONNREFUSED/m);
    expect(code).toBe(1);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('never overwrites a heads file named by its path, before reading any store', async () => {
    const file = join(dir, 'taken.json');
    writeFileSync(file, 'evidence\n');
    const { code, stdout, stderr } = await audit(['heads', '--database-url', INTAKE, '--out', file]);
    expect(stderr).toContain(`--out: ${file} exists; a heads file is evidence and is never overwritten`);
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('evidence\n');
  });

  it('says in its usage how to use - with kubectl exec', async () => {
    const { code, stdout } = await audit(['--help']);
    expect(stdout).toContain('[--heads heads.json|-]');
    expect(stdout).toContain('[--out heads.json|-]');
    expect(stdout).toContain('kubectl exec … --out - > heads.json');
    expect(stdout).toContain('kubectl exec -i … --heads - < heads.json');
    expect(code).toBe(0);
  });
});
