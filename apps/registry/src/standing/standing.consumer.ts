import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CONFIG } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { ProjectionHost } from '../rebuild/projection-host';
import { standingProjector } from './standing.projector';

/** Keeps standing.standing up to date from every service's topic (checkpoints in the same transaction). */
@Injectable()
export class StandingConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly projections: ProjectionHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.start(standingProjector(this.config.KAFKA_TOPIC_PREFIX));
  }
}
