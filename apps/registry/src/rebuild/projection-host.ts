import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { createTopics, type TopicDurability } from '@nqpf/messaging';
import {
  CONFIG,
  groupLog,
  HealthRegistry,
  KAFKA,
  MetricsRegistry,
  PG_POOL,
  TOPIC_DURABILITY,
  TOPIC_PARTITIONS,
} from '@nqpf/platform';
import { ProjectionRunner, Projector } from '@nqpf/projections';
import type { RegistryConfig } from '../config';

/**
 * Runs the registry's projections (libs/projections ProjectionRunner) with the service's pool, Kafka and
 * metrics, reports each in /health and stops them on shutdown.
 */
@Injectable()
export class ProjectionHost implements OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: RegistryConfig,
    @Inject(TOPIC_DURABILITY) private readonly durability: TopicDurability,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {}

  /** Consumer group `<prefix>.registry.projection.<name>`, so test environments stay apart. */
  async start(projector: Projector): Promise<void> {
    const groupId = `${this.config.KAFKA_TOPIC_PREFIX}.registry.projection.${projector.name}`;
    // A producer may not have started yet; subscribing needs the topics to exist.
    await createTopics(this.kafka, projector.topics, TOPIC_PARTITIONS, this.durability);
    const runner = new ProjectionRunner({
      kafka: this.kafka,
      pool: this.pool,
      projector,
      groupId,
      registry: this.metrics.registry,
      log: groupLog(this.logger, groupId),
      topicDurability: this.durability,
    });
    await runner.start();
    this.runners.push(runner);
    // Reads go on from the tables (somewhat behind) while a projection is down: reported, not gating.
    this.health.register(
      `projection:${projector.name}`,
      async () => {
        if (!runner.isHealthy()) throw new Error('projection is not running');
      },
      { gatesTraffic: false },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}
