import { isLostDatabaseConnection } from './lost-connection';

/**
 * A handler's precondition that another part of the service will satisfy by itself (e.g. its copy of
 * finance's policy book has not read far enough yet). Not the event's fault: a consumer waits and retries
 * without counting an attempt (never a dead letter); an HTTP command answers 503 with Retry-After.
 */
export class NotReadyYet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadyYet';
  }
}

// Known by name: thrown by libs/domain and libs/event-store (and by parked events taken back), whichever copy.
const OLDER_THAN_OBJECT_OR_CONFLICT = new Set([
  'ConcurrencyConflictError',
  'UnknownEventTypeError',
  'UnknownSchemaVersionError',
]);

/**
 * Failures that pass by themselves and say nothing about the event: NotReadyYet, a stale expected version
 * (another writer appended to the stream first: load again and decide again), an aggregate whose stream
 * holds a newer release's event type, or schema version of a type (UnknownEventTypeError,
 * UnknownSchemaVersionError: this replica is older than the object; it passes when the replica is
 * replaced), a deadlock or a serialization failure, and a database the handler's own connection lost or
 * could not get (53300, too many clients). A consumer retries them without counting attempts, so they
 * never dead-letter; a timer leaves the deadline for its next tick.
 */
export function passesByItself(error: Error): boolean {
  if (error instanceof NotReadyYet) return true;
  if (OLDER_THAN_OBJECT_OR_CONFLICT.has(error.name)) return true;
  if (isLostDatabaseConnection(error)) return true;
  const { code } = error as Error & { code?: unknown };
  // 53300 (too many clients) only: disk full or a temp_file_limit the event itself hits would hold the
  // partition for ever instead of counting attempts.
  return code === '40001' || code === '40P01' || code === '53300';
}
