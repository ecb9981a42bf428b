/** Exponential backoff with a cap; `attempt` counts from 1 (the wait after the first failure). */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5000, factor: 2 };

export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new Error(`attempt must be an integer ≥ 1, got ${attempt}`);
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** (attempt - 1));
}

/** Sleeps, waking early when `stillWanted` turns false (checked every 200 ms) so stop() is never held up. */
export async function sleepWhile(ms: number, stillWanted: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (stillWanted() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(200, deadline - Date.now())));
  }
}
