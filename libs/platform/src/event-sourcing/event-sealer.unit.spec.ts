import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';
import { eventSealerOf, relaySealKeysOf } from './event-sealer';

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

describe('relaySealKeysOf', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nqpf-seal-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pair = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.pem`);
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    return {
      sealer: eventSealerOf({ NODE_ENV: 'test', NQPF_EVENT_SEAL_KEY_FILE: file })!,
      publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
  };

  it("trusts the service's own key by default, nothing without a key", () => {
    const { sealer } = pair();
    expect(relaySealKeysOf({ NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: undefined }, sealer)?.ids).toEqual([
      sealer.keyId,
    ]);
    expect(relaySealKeysOf({ NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: undefined }, undefined)).toBeUndefined();
  });

  it("trusts the file's keys, which must hold the service's own", () => {
    const current = pair();
    const old = pair();
    const file = path.join(dir, 'public.pem');
    fs.writeFileSync(file, `${old.publicPem}\n${current.publicPem}`);
    expect(relaySealKeysOf({ NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: file }, current.sealer)?.ids.sort()).toEqual(
      [old.sealer.keyId, current.sealer.keyId].sort(),
    );
    const onlyOld = path.join(dir, 'old.pem');
    fs.writeFileSync(onlyOld, old.publicPem);
    expect(() => relaySealKeysOf({ NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: onlyOld }, current.sealer)).toThrow(
      `NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE ${onlyOld} does not hold the public half of the service's seal key ${current.sealer.keyId}`,
    );
    const placeholder = path.join(dir, 'placeholder.pem');
    fs.writeFileSync(placeholder, '-----BEGIN PUBLIC KEY-----\nCHANGE-ME\n-----END PUBLIC KEY-----\n');
    expect(() => relaySealKeysOf({ NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE: placeholder }, current.sealer)).toThrow(
      ConfigError,
    );
  });
});
