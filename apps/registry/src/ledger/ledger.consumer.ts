import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { ProjectionHost } from '../rebuild/projection-host';
import { ledgerProjector } from './ledger.projector';

/** Keeps the ledger tables up to date from finance's topic (checkpoints in the same transaction). */
@Injectable()
export class LedgerConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly projections: ProjectionHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.start(ledgerProjector(this.config.KAFKA_TOPIC_PREFIX));
  }
}
