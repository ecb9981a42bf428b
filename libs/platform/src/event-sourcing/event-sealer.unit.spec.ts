import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';
import { eventSealerOf } from './event-sealer';

describe('eventSealerOf', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-seal-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const problems = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    throw new Error('no ConfigError');
  };

  it('seals with the key in the file', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const file = write('seal.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const sealer = eventSealerOf({ NODE_ENV: 'production', NQPF_EVENT_SEAL_KEY_FILE: file });
    expect(sealer?.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('requires a key in a deployment, not in development', () => {
    expect(eventSealerOf({ NODE_ENV: 'development', NQPF_EVENT_SEAL_KEY_FILE: undefined })).toBeUndefined();
    expect(
      problems(() => eventSealerOf({ NODE_ENV: 'production', NQPF_EVENT_SEAL_KEY_FILE: undefined })),
    ).toEqual([
      'NQPF_EVENT_SEAL_KEY_FILE is required with NODE_ENV=production: the service seals what it appends with that Ed25519 key',
    ]);
  });

  it('names an unreadable file or a key of the wrong kind', () => {
    const missing = path.join(dir, 'missing.pem');
    expect(problems(() => eventSealerOf({ NODE_ENV: 'test', NQPF_EVENT_SEAL_KEY_FILE: missing }))).toEqual([
      `NQPF_EVENT_SEAL_KEY_FILE: cannot read ${missing} (ENOENT)`,
    ]);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec = write('ec.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(problems(() => eventSealerOf({ NODE_ENV: 'test', NQPF_EVENT_SEAL_KEY_FILE: ec }))).toEqual([
      `NQPF_EVENT_SEAL_KEY_FILE ${ec}: an ec key; seals are Ed25519`,
    ]);
  });
});
