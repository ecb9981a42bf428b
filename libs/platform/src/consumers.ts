import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import {
  ConsumerLog,
  createTopics,
  EventConsumer,
  EventConsumerOptions,
  type TopicDurability,
} from '@nqpf/messaging';
import { HealthRegistry } from './health';
import { MetricsRegistry } from './metrics';
import { KAFKA, PG_POOL, TOPIC_DURABILITY } from './tokens';

/** As ARCHITECTURE.md: 12 partitions per service topic, the unit of consumer scale-out. */
export const TOPIC_PARTITIONS = 12;

/** A consumer's log lines in the service's log, prefixed by its group, with their fields (e.g. the error). */
export function groupLog(logger: Logger, groupId: string): ConsumerLog {
  return (level, message, fields) => {
    const line = `${groupId}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`;
    if (level === 'info') logger.log(line);
    else logger[level](line);
  };
}

export type ConsumerSpec = Omit<
  EventConsumerOptions,
  'kafka' | 'pool' | 'registry' | 'log' | 'topicDurability'
>;

/**
 * Runs a service's Kafka consumers with the service's pool and metrics, reports them in /health, and
 * stops them on shutdown (the batch in hand finishes and its offsets are committed first).
 */
@Injectable()
export class ConsumerHost implements OnApplicationShutdown {
  private readonly logger = new Logger('Consumers');
  private readonly consumers: EventConsumer[] = [];

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TOPIC_DURABILITY) private readonly durability: TopicDurability,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {}

  async start(spec: ConsumerSpec): Promise<EventConsumer> {
    // The producing service may not have started yet; subscribing to a missing topic fails.
    await createTopics(this.kafka, spec.topics, TOPIC_PARTITIONS, this.durability);
    const consumer = new EventConsumer({
      ...spec,
      kafka: this.kafka,
      pool: this.pool,
      registry: this.metrics.registry,
      log: groupLog(this.logger, spec.groupId),
      topicDurability: this.durability,
    });
    await consumer.start();
    this.consumers.push(consumer);
    this.health.register(
      `consumer:${spec.groupId}`,
      async () => {
        if (!consumer.isHealthy()) throw new Error('consumer is not running');
      },
      { gatesTraffic: false },
    );
    return consumer;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}
