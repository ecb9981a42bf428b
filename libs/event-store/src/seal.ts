import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * A service's signature over an event's hash. The store seals the last event of every append: the hash
 * chain covers everything before it, so whoever can write to the database but does not hold the key
 * cannot add, rewrite or forge a stream's tail without leaving its last event unsealed or badly sealed.
 */
export interface EventSeal {
  /** sealKeyId of the public key that checks the signature. */
  keyId: string;
  /** Ed25519 signature over the event's hash (its hex text), base64. */
  signature: string;
}

/** A seal key that cannot be used: names the source and what is wrong with it. */
export class SealKeyError extends Error {
  override readonly name = 'SealKeyError';
}

/** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names a key without revealing it. */
export function sealKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Signs with a service's private key (an Ed25519 PKCS#8 PEM, e.g. `openssl genpkey -algorithm ed25519`). */
export class EventSealer {
  readonly keyId: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.keyId = sealKeyId(createPublicKey(privateKey));
  }

  static fromPem(pem: string, source = 'the seal key'): EventSealer {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (err) {
      throw new SealKeyError(`${source}: not a PEM private key (${(err as Error).message})`);
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new SealKeyError(`${source}: an ${key.asymmetricKeyType ?? 'unknown'} key; seals are Ed25519`);
    return new EventSealer(key);
  }

  seal(hash: string): EventSeal {
    return {
      keyId: this.keyId,
      signature: sign(null, Buffer.from(hash), this.privateKey).toString('base64'),
    };
  }
}

/** Why a stream's last event does not prove it was appended by a key holder; undefined when it does. */
export type SealProblem = { problem: 'unsealed' | 'bad-seal'; detail: string } | undefined;

/** The public keys a verifier trusts: one or more PEM public key blocks (the services' keys, old ones too). */
export class SealKeys {
  private constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}

  static fromPem(text: string, source = 'the seal keys'): SealKeys {
    const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
    if (blocks.length === 0) throw new SealKeyError(`${source}: no PEM public key (BEGIN PUBLIC KEY) in it`);
    const keys = new Map<string, KeyObject>();
    blocks.forEach((block, i) => {
      let key: KeyObject;
      try {
        key = createPublicKey(block);
      } catch (err) {
        throw new SealKeyError(`${source}: public key ${i + 1} unreadable (${(err as Error).message})`);
      }
      if (key.asymmetricKeyType !== 'ed25519')
        throw new SealKeyError(
          `${source}: public key ${i + 1} is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`,
        );
      keys.set(sealKeyId(key), key);
    });
    return new SealKeys(keys);
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  /** A head passes with one valid seal among its seals (a re-sealed head also keeps a retired key's). */
  check(hash: string, seals: readonly EventSeal[]): SealProblem {
    if (seals.length === 0)
      return {
        problem: 'unsealed',
        detail: 'the last event carries no seal: appended without a service key',
      };
    const problems = seals.map((seal) => this.problemWith(hash, seal));
    return problems.includes(undefined) ? undefined : problems[0];
  }

  private problemWith(hash: string, seal: EventSeal): SealProblem {
    const key = this.keys.get(seal.keyId);
    if (!key)
      return { problem: 'bad-seal', detail: `sealed with key ${seal.keyId}, which is not a trusted key` };
    if (!verify(null, Buffer.from(hash), key, Buffer.from(seal.signature, 'base64')))
      return { problem: 'bad-seal', detail: `the seal (key ${seal.keyId}) does not match the event's hash` };
    return undefined;
  }
}
