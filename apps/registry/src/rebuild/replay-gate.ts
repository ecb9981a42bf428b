import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RetryLaterException } from '@nqpf/auth';
import type { Actor, Role } from '@nqpf/contracts';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';

/** An as-of replay takes seconds at a million events: a retry sooner would find the same replays running. */
const RETRY_AFTER_S = 5;

/** The city's own reviewers: a place is kept for them that the centers' operators and districts cannot take. */
const OVERSIGHT: readonly Role[] = ['city_bureau', 'auditor', 'finance_officer'];

/**
 * At most AS_OF_CONCURRENCY as-of replays at a time in this process, and one per caller: each one reads
 * its topics from offset zero into memory (seconds of CPU at a million events), and every reader may ask
 * for one; a caller's script must not hold every place while the bureau's question waits. Operators and
 * district offices (hundreds of accounts) share all places but one, which stays for the bureau, auditors
 * and finance officers (with a limit of 1, everyone shares it). Beyond that a request is answered 429 at
 * once instead of queueing behind the others.
 */
@Injectable()
export class ReplayGate {
  private readonly running = new Set<string>();
  private count = 0;

  constructor(@Inject(CONFIG) private readonly config: Pick<RegistryConfig, 'AS_OF_CONCURRENCY'>) {}

  async run<T>(actor: Pick<Actor, 'id' | 'role'>, work: () => Promise<T>): Promise<T> {
    const caller = actor.id;
    const places = this.config.AS_OF_CONCURRENCY;
    const limit = OVERSIGHT.includes(actor.role) || places < 2 ? places : places - 1;
    if (this.running.has(caller))
      throw new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        'at: your as-of replay before this one is still running on this replica; ask again once it answers',
        RETRY_AFTER_S,
      );
    if (this.count >= limit)
      throw new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `at: ${this.count} as-of replays are already running on this replica; retry in a few seconds`,
        RETRY_AFTER_S,
      );
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
