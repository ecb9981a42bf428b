import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { CONFIG, KAFKA, TOPIC_PARTITIONS } from '@nqpf/platform';
import { createTopics } from '@nqpf/messaging';
import type { RegistryConfig } from '../config';
import { ProjectionHost } from '../rebuild/projection-host';
import { standingProjector } from './standing.projector';

/** Keeps standing.standing up to date from every service's topic (checkpoints in the same transaction). */
@Injectable()
export class StandingConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly projections: ProjectionHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const projector = standingProjector(this.config.KAFKA_TOPIC_PREFIX);
    // A producer may not have started yet; subscribing needs the topics to exist.
    await createTopics(this.kafka, projector.topics, TOPIC_PARTITIONS);
    await this.projections.start(projector);
  }
}
