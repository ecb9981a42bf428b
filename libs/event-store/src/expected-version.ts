import { ConcurrencyConflictError, EventStoreInputError } from './errors';

/** 'any': no check; 'no_stream': the stream must not exist yet; a number: the stream's current version. */
export type ExpectedVersion = 'any' | 'no_stream' | number;

export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (expected === 'any') return;
  const wanted = expected === 'no_stream' ? 0 : expected;
  if (wanted !== actual) throw new ConcurrencyConflictError(streamId, expected, actual);
}

export function validateExpectedVersion(expected: unknown): ExpectedVersion {
  if (expected === 'any' || expected === 'no_stream') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new EventStoreInputError('expectedVersion', "must be 'any', 'no_stream' or a whole number ≥ 0");
}
