import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * A service's signature over one append. The store seals the last event of every append, signing the
 * append's range: from the hash its first event links to, to its last event's hash. The hash chain ties
 * the events in between; the seals of one stream must meet end to end, so whoever can write to the
 * database but does not hold the key cannot add, rewrite or forge events — at the tail, or buried under
 * a later append of the service — without leaving them outside every seal.
 */
export interface EventSeal {
  /** sealKeyId of the public key that checks the signature. */
  keyId: string;
  /** Ed25519 signature over sealedText(from, head), base64. */
  signature: string;
}

/**
 * What a seal signs: `<from>:<head>` — `from` the hash the append's first event links to, empty at a
 * stream's start (and for a seal vouching for a whole stream: `nqpf audit seal-heads`, `reseal`), `head`
 * the hash of the append's last event (hex text).
 */
export function sealedText(from: string | null, head: string): Buffer {
  return Buffer.from(`${from ?? ''}:${head}`);
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
  /** The public half (SPKI PEM), as verifiers hold it. */
  readonly publicPem: string;

  private constructor(private readonly privateKey: KeyObject) {
    const publicKey = createPublicKey(privateKey);
    this.keyId = sealKeyId(publicKey);
    this.publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
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

  /** Seals the events after `from` (null: from the stream's start) up to and including `head`. */
  seal(from: string | null, head: string): EventSeal {
    return {
      keyId: this.keyId,
      signature: sign(null, sealedText(from, head), this.privateKey).toString('base64'),
    };
  }
}

/** Why an event's seals do not prove a key holder appended it after `from`; undefined when they do. */
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

  /**
   * Whether `seals` vouch for the events after `from` up to `head`: one valid seal among them suffices (a
   * re-sealed head also keeps a retired key's), signed over that range or over the whole stream.
   */
  check(seals: readonly EventSeal[], head: string, from: string | null): SealProblem {
    if (seals.length === 0)
      return { problem: 'unsealed', detail: 'it carries no seal: appended without a service key' };
    return this.validSeal(seals, head, from) ? undefined : this.problemWith(seals[0]!, head, from);
  }

  /** The first of `seals` that vouches for the events after `from` up to `head` (as `check` accepts one). */
  validSeal(seals: readonly EventSeal[], head: string, from: string | null): EventSeal | undefined {
    return seals.find((seal) => this.problemWith(seal, head, from) === undefined);
  }

  private problemWith(seal: EventSeal, head: string, from: string | null): SealProblem {
    const key = this.keys.get(seal.keyId);
    if (!key)
      return { problem: 'bad-seal', detail: `sealed with key ${seal.keyId}, which is not a trusted key` };
    const signature = Buffer.from(seal.signature, 'base64');
    const signs = (start: string | null) => verify(null, sealedText(start, head), key, signature);
    if (!signs(from) && (from === null || !signs(null)))
      return {
        problem: 'bad-seal',
        detail: `the seal (key ${seal.keyId}) does not match the event's hash and the events it should cover`,
      };
    return undefined;
  }
}
