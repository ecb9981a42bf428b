import type { ExpectedVersion } from './expected-version';

/** Another writer appended to the stream first; the HTTP layer maps this to 409 Conflict. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
    this.name = 'ConcurrencyConflictError';
  }
}

/** Bad input to the store: names the field and the rule broken. */
export class EventStoreInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'EventStoreInputError';
  }
}
