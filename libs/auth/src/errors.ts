import { ForbiddenError as DomainForbiddenError } from '@nqpf/domain';

/** Configuration that would run the service insecurely or not at all; thrown at startup. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

/** The request does not prove who it comes from (HTTP 401). `reason` is for the log, `message` for the client. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  readonly status = 401;
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
  }
}

/**
 * The identity provider's key set could not be read (unreachable, timed out, not a key set): the token was
 * not judged, so the answer is a 503 to retry, not a 401 that sends every user back to a failing login.
 */
export class IdentityKeysUnavailableError extends Error {
  override readonly name = 'IdentityKeysUnavailableError';
}

/** What a denial is about, for the log: never the token, never the body. */
export interface DenialDetails {
  actorId?: string;
  role?: string;
  objectId?: string | null;
}

/**
 * The actor may not do this (HTTP 403). A @nqpf/domain ForbiddenError, so the platform's error filter maps it
 * like any domain error; the denial facts stay off the response body (`denial` is for the log only).
 */
export class ForbiddenError extends DomainForbiddenError {
  constructor(
    readonly reason: string,
    readonly denial: DenialDetails = {},
  ) {
    super(reason);
  }
}
