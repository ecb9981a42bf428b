import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DevIdentitySource } from './dev-identity-source';

/** The local ES256 key pair of the development identity. */
export interface DevKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const KEY_FILE = 'private.jwk.json';
const cache = new Map<string, DevKeyPair>();

/** The pair for a source, loaded (or derived) once per process. */
export function devKeyPair(source: DevIdentitySource): DevKeyPair {
  const cacheKey = 'seed' in source ? `seed:${source.seed}` : `dir:${path.resolve(source.dir)}`;
  let pair = cache.get(cacheKey);
  if (!pair) {
    pair = 'seed' in source ? deriveDevKeyPair(source.seed) : loadOrCreateDevKeyPair(source.dir);
    cache.set(cacheKey, pair);
  }
  return pair;
}

/** Same seed, same key: tests and their service under test agree on a key without touching the disk. */
export function deriveDevKeyPair(seed: string): DevKeyPair {
  let digest = createHash('sha256').update(`nqpf-dev-identity:${seed}`).digest();
  // A valid P-256 scalar is 1..n-1; re-hashing until one is found keeps the derivation deterministic.
  while (BigInt(`0x${digest.toString('hex')}`) >= P256_ORDER || digest.every((b) => b === 0)) {
    digest = createHash('sha256').update(digest).digest();
  }
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(digest);
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
    d: digest.toString('base64url'),
  };
  return pairFromPrivate(createPrivateKey({ key: jwk, format: 'jwk' }));
}

/**
 * Reads `<dir>/private.jwk.json`, generating it on first use. Creation is atomic (write aside, then hard-link),
 * so two processes starting together end up with the same key.
 */
export function loadOrCreateDevKeyPair(dir: string): DevKeyPair {
  const file = path.join(dir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const aside = `${file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(aside, JSON.stringify(privateKey.export({ format: 'jwk' })), { mode: 0o600 });
    try {
      fs.linkSync(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.unlinkSync(aside);
    }
  }
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as import('node:crypto').JsonWebKey;
  return pairFromPrivate(createPrivateKey({ key: jwk, format: 'jwk' }));
}

function pairFromPrivate(privateKey: KeyObject): DevKeyPair {
  const publicKey = createPublicKey(privateKey);
  const { x, y } = publicKey.export({ format: 'jwk' });
  const kid = `dev-${createHash('sha256').update(`${x}.${y}`).digest('hex').slice(0, 16)}`;
  return { privateKey, publicKey, kid };
}
