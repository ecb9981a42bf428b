import type { PoolClient } from 'pg';
import { ConcurrencyConflictError } from '@nqpf/event-store';

/**
 * Runs `attempt` again after a version conflict, from a savepoint (the transaction may be the request's).
 * For a command decided on the moment it arrived: a timer appending first (midnight, a deadline) must not
 * turn it into a 409 whose retry by the caller is decided on the next day.
 */
export async function retryingConflicts<T>(tx: PoolClient, attempt: () => Promise<T>, times = 5): Promise<T> {
  for (let i = 1; ; i++) {
    await tx.query('savepoint retry_conflict');
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ConcurrencyConflictError) || i >= times) throw err;
      await tx.query('rollback to savepoint retry_conflict');
    }
  }
}
