import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { ConcurrencyGate } from './concurrency-gate';

/**
 * At most AS_OF_CONCURRENCY as-of replays at a time in this process, and one per caller (ConcurrencyGate):
 * each one reads its topics from offset zero into memory (seconds of CPU at a million events).
 */
@Injectable()
export class ReplayGate extends ConcurrencyGate {
  constructor(@Inject(CONFIG) config: Pick<RegistryConfig, 'AS_OF_CONCURRENCY'>) {
    super(() => config.AS_OF_CONCURRENCY, {
      yours:
        'at: your as-of replay before this one is still running on this replica; ask again once it answers',
      busy: (running) =>
        `at: ${running} as-of replays are already running on this replica; retry in a few seconds`,
      // An as-of replay takes seconds at a million events: a retry sooner would find the same replays running.
      retryAfterS: 5,
    });
  }
}
