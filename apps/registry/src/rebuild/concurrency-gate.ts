import { HttpStatus } from '@nestjs/common';
import { RetryLaterException } from '@nqpf/auth';
import type { Actor, Role } from '@nqpf/contracts';

/** The city's own reviewers: a place is kept for them that the centers' operators and districts cannot take. */
const OVERSIGHT: readonly Role[] = ['city_bureau', 'auditor', 'finance_officer'];

/** What a gate says when it refuses, and when to ask again. */
export interface GateRefusals {
  /** The caller's own work of this kind is still running. */
  yours: string;
  /** `running` of these already hold every place this caller may take. */
  busy: (running: number) => string;
  retryAfterS: number;
}

/**
 * At most `places()` pieces of one kind of heavy work at a time in this process, and one per caller: every
 * reader may ask for one, and a caller's script must not hold every place while the bureau's question
 * waits. Operators and district offices (hundreds of accounts) share all places but one, which stays for
 * the bureau, auditors and finance officers (with a limit of 1, everyone shares it). Beyond that a request
 * is answered 429 with Retry-After at once instead of queueing behind the others.
 */
export class ConcurrencyGate {
  private readonly running = new Set<string>();
  private count = 0;

  constructor(
    private readonly places: () => number,
    private readonly refusals: GateRefusals,
  ) {}

  async run<T>(actor: Pick<Actor, 'id' | 'role'>, work: () => Promise<T>): Promise<T> {
    const caller = actor.id;
    const places = this.places();
    const limit = OVERSIGHT.includes(actor.role) || places < 2 ? places : places - 1;
    const { yours, busy, retryAfterS } = this.refusals;
    if (this.running.has(caller))
      throw new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, yours, retryAfterS);
    if (this.count >= limit)
      throw new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, busy(this.count), retryAfterS);
    this.running.add(caller);
    this.count++;
    try {
      return await work();
    } finally {
      this.count--;
      this.running.delete(caller);
    }
  }
}
