import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { createTopics } from '@nqpf/messaging';
import { CONFIG, KAFKA, TOPIC_PARTITIONS } from '@nqpf/platform';
import type { RegistryConfig } from '../config';
import { ProjectionHost } from '../rebuild/projection-host';
import { ledgerProjector } from './ledger.projector';

/** Keeps the ledger tables up to date from finance's topic (checkpoints in the same transaction). */
@Injectable()
export class LedgerConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    private readonly projections: ProjectionHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const projector = ledgerProjector(this.config.KAFKA_TOPIC_PREFIX);
    await createTopics(this.kafka, projector.topics, TOPIC_PARTITIONS);
    await this.projections.start(projector);
  }
}
