import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDevIdentityDir } from './dev-identity-source';
import { loadOrCreateDevKeyPair } from './dev-key-pair';

describe('dev identity folder', () => {
  it('generates the key pair once, private to the user, and reads the same one back', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-dev-identity-'));
    try {
      const first = loadOrCreateDevKeyPair(path.join(dir, 'nested'));
      const second = loadOrCreateDevKeyPair(path.join(dir, 'nested'));
      expect(second.kid).toBe(first.kid);
      expect(fs.readdirSync(path.join(dir, 'nested'))).toEqual(['private.jwk.json']);
      expect(fs.statSync(path.join(dir, 'nested', 'private.jwk.json')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('default dev identity folder', () => {
  const repo = path.resolve(__dirname, '../../../..');

  it("is the repository's .local/dev-identity from the sources and from a compiled tree under dist/", () => {
    expect(defaultDevIdentityDir(__dirname)).toBe(path.join(repo, '.local', 'dev-identity'));
    const compiled = path.join(repo, 'dist', 'libs', 'auth', 'src', 'dev-identity');
    expect(defaultDevIdentityDir(compiled)).toBe(path.join(repo, '.local', 'dev-identity'));
  });

  it('is under the working folder where no workspace manifest is found above the code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-no-workspace-'));
    try {
      expect(defaultDevIdentityDir(dir)).toBe(path.resolve('.local', 'dev-identity'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
