import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
