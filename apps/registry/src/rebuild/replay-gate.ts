import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { RetryLaterException } from '@nqpf/auth';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';

/** An as-of replay takes seconds at a million events: a retry sooner would find the same replays running. */
const RETRY_AFTER_S = 5;

/**
 * At most AS_OF_CONCURRENCY as-of replays at a time in this process: each one reads its topics from offset
 * zero into memory (seconds of CPU at a million events), and every reader may ask for one. Beyond that a
 * request is answered 429 at once instead of queueing behind the others.
 */
@Injectable()
export class ReplayGate {
  private running = 0;

  constructor(@Inject(CONFIG) private readonly config: Pick<RegistryConfig, 'AS_OF_CONCURRENCY'>) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.config.AS_OF_CONCURRENCY;
    if (this.running >= limit)
      throw new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `at: ${limit} as-of replays are already running on this replica; retry in a few seconds`,
        RETRY_AFTER_S,
      );
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}
