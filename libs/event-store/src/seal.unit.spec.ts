import { generateKeyPairSync } from 'node:crypto';
import { EventSealer, SealKeyError, SealKeys, sealKeyId } from './seal';

const pem = (type: 'ed25519' | 'rsa') => {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey,
  };
};
const hash = 'a'.repeat(64);

describe('seal keys', () => {
  const service = pem('ed25519');

  it('seals with the private key and checks with the public one, named by the key id', () => {
    const sealer = EventSealer.fromPem(service.privatePem);
    expect(sealer.keyId).toBe(sealKeyId(service.publicKey));
    expect(sealer.keyId).toMatch(/^[0-9a-f]{16}$/);
    const keys = SealKeys.fromPem(service.publicPem);
    expect(keys.ids).toEqual([sealer.keyId]);
    expect(keys.check([sealer.seal(null, hash)], hash, null)).toBeUndefined();
    expect(keys.check([sealer.seal(null, hash)], 'b'.repeat(64), null)?.problem).toBe('bad-seal');
    expect(keys.check([], hash, null)?.problem).toBe('unsealed');
  });

  it("signs the append's range: from the hash it continues, or the stream's start", () => {
    const sealer = EventSealer.fromPem(service.privatePem);
    const keys = SealKeys.fromPem(service.publicPem);
    const [before, other] = ['b'.repeat(64), 'c'.repeat(64)];
    expect(keys.check([sealer.seal(before, hash)], hash, before)).toBeUndefined();
    // An append that continued another event does not vouch for what lies between.
    expect(keys.check([sealer.seal(other, hash)], hash, before)).toEqual({
      problem: 'bad-seal',
      detail: `the seal (key ${sealer.keyId}) does not match the event's hash and the events it should cover`,
    });
    expect(keys.check([sealer.seal(before, hash)], hash, null)?.problem).toBe('bad-seal');
    // A seal over the whole stream (a new stream's first append, a re-seal) covers from anywhere.
    expect(keys.check([sealer.seal(null, hash)], hash, before)).toBeUndefined();
  });

  it('reads several public keys from one text (old keys stay trusted after a rotation)', () => {
    const next = pem('ed25519');
    const keys = SealKeys.fromPem(`# review, 2026\n${service.publicPem}\n# review, 2027\n${next.publicPem}`);
    expect(keys.ids).toHaveLength(2);
    expect(keys.check([EventSealer.fromPem(next.privatePem).seal(null, hash)], hash, null)).toBeUndefined();
  });

  it("passes a head with one valid seal among several (a re-sealed head keeps the retired key's)", () => {
    const retired = EventSealer.fromPem(pem('ed25519').privatePem).seal(null, hash);
    const keys = SealKeys.fromPem(service.publicPem);
    const resealed = [retired, EventSealer.fromPem(service.privatePem).seal(null, hash)];
    expect(keys.check(resealed, hash, null)).toBeUndefined();
    expect(keys.check([retired], hash, null)?.problem).toBe('bad-seal');
  });

  it('refuses what is not an Ed25519 key, naming the source', () => {
    const rsa = pem('rsa');
    expect(() => EventSealer.fromPem(rsa.privatePem, 'NQPF_EVENT_SEAL_KEY_FILE')).toThrow(
      new SealKeyError('NQPF_EVENT_SEAL_KEY_FILE: an rsa key; seals are Ed25519'),
    );
    expect(() => EventSealer.fromPem('not a key', 'k.pem')).toThrow(/^k.pem: not a PEM private key/);
    expect(() => SealKeys.fromPem(rsa.publicPem, 'keys.pem')).toThrow(
      'keys.pem: public key 1 is rsa, not Ed25519',
    );
    expect(() => SealKeys.fromPem(service.privatePem, 'keys.pem')).toThrow(
      'keys.pem: no PEM public key (BEGIN PUBLIC KEY) in it',
    );
  });
});
