import http from 'node:http';
import https from 'node:https';
import { createLocalJWKSet, errors, JWTVerifyGetKey } from 'jose';
import { AuthLogger } from '../access/denial-log';
import { IdentityKeysUnavailableError } from '../errors';

export interface CachedKeySetOptions {
  url: URL;
  /** Age after which the set is read again before its next use: the delay before a removed key is refused. */
  maxAgeMs: number;
  /** How long past maxAgeMs the last set read is still used while the provider cannot be read. */
  staleMs: number;
  /** Least time between two reads an unknown kid triggers, and between two tries while reads fail. */
  cooldownMs: number;
  /** One read's limit: connecting, the answer and its body. */
  timeoutMs: number;
  logger: AuthLogger;
}

/** The key set's state, for /health and the metrics. */
export interface KeySetStatus {
  jwksUrl: string;
  /** Whether the last read failed (the set in use, if any, is the last one read). */
  failing: boolean;
  /** Seconds since the set in use was read; undefined when none was ever read. */
  ageS?: number;
  /** Since when reads fail (ISO), and the last failure. */
  failingSince?: string;
  lastError?: string;
}

export interface CachedKeySet {
  getKey: JWTVerifyGetKey;
  status(): KeySetStatus;
  /** Stops the background retries and a read under way (the service is shutting down). */
  close(): void;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * The provider's JWKS, read when first needed and again once older than maxAgeMs, before its next use (so
 * a removed key is refused within maxAgeMs while the provider answers). A kid the set lacks triggers a read
 * at once, at most one per cooldownMs. Requests that need a read wait for it together, at most timeoutMs.
 *
 * Once a read fails, it is retried in the background once per cooldownMs, with or without requests, until
 * one succeeds (which clears the failing state at once). While the provider fails now — the last read
 * failed less than cooldownMs ago, or a retry is under way — the last set read keeps serving for staleMs
 * past maxAgeMs (stale-if-error) and no request waits on the provider; without a usable set, a 503 at once.
 * An older failure proves nothing about the provider now: a set past maxAgeMs then waits for a read again.
 *
 * Dates come from Date.now, which the specs move; the retry timer runs on real time.
 */
export function createCachedKeySet(options: CachedKeySetOptions): CachedKeySet {
  const { url, maxAgeMs, staleMs, cooldownMs, timeoutMs, logger } = options;
  const jwksUrl = url.href;
  const closing = new AbortController();
  let local: LocalSet | undefined;
  let readAt = 0;
  let lastKidReadAt = Number.NEGATIVE_INFINITY;
  let failingSince: number | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let lastError: string | undefined;
  let reading: Promise<void> | undefined;
  let retry: NodeJS.Timeout | undefined;

  function read(): Promise<void> {
    if (reading) return reading;
    const triedAt = Date.now();
    reading = fetchKeySet(url, timeoutMs, closing.signal)
      .then((json) => {
        local = createLocalJWKSet(json as Parameters<typeof createLocalJWKSet>[0]);
        readAt = Date.now();
        if (failingSince !== undefined)
          logger.info(
            { event: 'identity_keys_refreshed', jwksUrl, failedForS: seconds(readAt - failingSince) },
            `identity provider key set ${jwksUrl} read again`,
          );
        failingSince = undefined;
        lastError = undefined;
        clearTimeout(retry);
        retry = undefined;
      })
      .catch((err: unknown) => {
        if (closing.signal.aborted) throw unavailable();
        failingSince ??= triedAt;
        failedAt = Date.now();
        lastError = err instanceof Error ? err.message : String(err);
        scheduleRetry();
        const usable = usableSet() !== undefined;
        const level = usable ? 'warn' : 'error';
        logger[level](
          {
            event: 'identity_keys_refresh_failed',
            jwksUrl,
            error: lastError,
            keysAgeS: local ? seconds(Date.now() - readAt) : null,
            failingForS: seconds(Date.now() - failingSince),
          },
          `identity provider key set ${jwksUrl} could not be read (${lastError}); ` +
            (usable
              ? 'verifying with the last set read'
              : local
                ? 'the last set read is too old to use: requests with a token are answered 503'
                : 'no set was read yet: requests with a token are answered 503'),
        );
        throw unavailable();
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  /**
   * The next try, a cooldown after this failure, whether requests come or not: the state (the gauge,
   * /health) must clear once the provider answers, and a quiet replica must not keep an old failure.
   * Unref'd, so it never holds a process open.
   */
  function scheduleRetry(): void {
    clearTimeout(retry);
    retry = setTimeout(() => {
      retry = undefined;
      read().catch(() => undefined);
    }, cooldownMs);
    retry.unref();
  }

  /** Whether the provider fails now: the last read failed within the cooldown, or its retry is under way. */
  function failingNow(): boolean {
    return failingSince !== undefined && (reading !== undefined || Date.now() - failedAt < cooldownMs);
  }

  /** The set in use, if it may still be: fresh, or stale within staleMs while the provider fails now. */
  function usableSet(): LocalSet | undefined {
    if (!local) return undefined;
    const age = Date.now() - readAt;
    return age < maxAgeMs || (failingNow() && age < maxAgeMs + staleMs) ? local : undefined;
  }

  function unavailable(): IdentityKeysUnavailableError {
    const last = local ? `; the last set read is ${seconds(Date.now() - readAt)} s old` : '';
    return new IdentityKeysUnavailableError(
      `identity provider key set unavailable: ${lastError ?? 'not read'} (${jwksUrl}${last})`,
    );
  }

  async function current(): Promise<LocalSet> {
    if (local && Date.now() - readAt < maxAgeMs) return local;
    // First use, or the set is too old to be trusted without asking: wait for a read (one for all). Not
    // while the provider fails now: the background retry asks it, and the last set serves meanwhile.
    if (!failingNow()) await read().catch(() => undefined);
    const set = usableSet();
    if (!set) throw unavailable();
    return set;
  }

  /** A read for a kid the set lacks: whether one was made (else the kid stays unknown: 401). */
  async function readForUnknownKid(): Promise<boolean> {
    // The token was not judged: the provider may hold the key (the background retry will tell).
    if (failingNow()) throw unavailable();
    if (!reading) {
      if (Date.now() - lastKidReadAt < cooldownMs) return false;
      lastKidReadAt = Date.now();
    }
    await read().catch(() => {
      throw unavailable();
    });
    return true;
  }

  return {
    async getKey(header, token) {
      try {
        return await (
          await current()
        )(header, token);
      } catch (err) {
        if (!(err instanceof errors.JWKSNoMatchingKey) || !(await readForUnknownKid())) throw err;
        return (await current())(header, token);
      }
    },
    status() {
      return {
        jwksUrl,
        failing: failingSince !== undefined,
        ...(local ? { ageS: seconds(Date.now() - readAt) } : {}),
        ...(failingSince !== undefined
          ? { failingSince: new Date(failingSince).toISOString(), lastError }
          : {}),
      };
    },
    close() {
      closing.abort();
      clearTimeout(retry);
      retry = undefined;
    },
  };
}

/** A key set is a few kilobytes; an answer beyond this is not one. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * One read: 200 with a JSON body, within timeoutMs in all. A connection of its own (reads are minutes
 * apart, and a pooled socket the provider closed meanwhile would fail the read), and no redirect followed
 * (an https set is never taken from elsewhere).
 */
function fetchKeySet(url: URL, timeoutMs: number, signal: AbortSignal): Promise<unknown> {
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(new Error(message));
    if (signal.aborted) return fail('closed');
    const options = { agent: false, headers: { accept: 'application/json' }, signal };
    const req = get(url, options, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return fail(`HTTP ${res.statusCode} instead of 200`);
      }
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (part: Buffer) => {
        size += part.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`the answer exceeds ${MAX_BODY_BYTES} bytes`));
        else parts.push(part);
      });
      res.on('error', (err) => fail(err.message));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
        } catch {
          fail('the answer is not JSON');
        }
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message),
    );
    req.on('close', () => clearTimeout(timer));
  });
}

const seconds = (ms: number) => Math.round(ms / 1000);
