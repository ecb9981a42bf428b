import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { serviceTopic, ServiceName } from '@nqpf/contracts';
import { OutboxRelay, PostgresEventStore, Upcasters } from '@nqpf/event-store';
import { createTopics, KafkaEventPublisher, type TopicDurability } from '@nqpf/messaging';
import { HealthRegistry } from '../health';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { MetricsRegistry } from '../metrics';
import type { BaseConfig } from '../config';
import { CONFIG, KAFKA, PG_POOL, TOPIC_DURABILITY } from '../tokens';
import { TOPIC_PARTITIONS } from '../consumers';
import { UnitOfWork } from '../unit-of-work';
import { AggregateRepository } from './aggregate.repository';
import { eventSealerOf, relaySealKeysOf } from './event-sealer';
import { registerOutboxGauges } from './outbox-gauges';

export interface EventSourcingOptions {
  service: ServiceName;
  /** Topic prefix (default `nqpf`), so tests and parallel environments keep topics of their own. */
  topicPrefix?: string;
  partitions?: number;
  upcasters?: Upcasters;
}

const OPTIONS = Symbol('nqpf.event-sourcing-options');

/**
 * A service's write side: its event store (schema `event_store` in its own database) with the outbox to
 * its Kafka topic, the relay that publishes it, idempotency keys, and the aggregate repository.
 */
@Module({})
export class EventSourcingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventSourcing');
  private relay?: OutboxRelay;
  private publisher?: KafkaEventPublisher;
  private pruning?: NodeJS.Timeout;

  constructor(
    @Inject(OPTIONS) private readonly options: EventSourcingOptions,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_DURABILITY) private readonly durability: TopicDurability,
    @Inject(CONFIG)
    private readonly config: Pick<
      BaseConfig,
      'IDEMPOTENCY_RETENTION_HOURS' | 'NQPF_EVENT_SEAL_PUBLIC_KEYS_FILE'
    >,
    private readonly store: PostgresEventStore,
    private readonly idempotency: IdempotencyStore,
    private readonly metrics: MetricsRegistry,
    private readonly health: HealthRegistry,
  ) {}

  static forRoot(options: EventSourcingOptions): DynamicModule {
    const topic = serviceTopic(options.service, options.topicPrefix);
    return {
      module: EventSourcingModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: PostgresEventStore,
          inject: [PG_POOL, CONFIG],
          useFactory: (pool: Pool, config: BaseConfig) =>
            new PostgresEventStore(pool, {
              outboxTopic: topic,
              upcasters: options.upcasters,
              sealer: eventSealerOf(config),
            }),
        },
        { provide: IdempotencyStore, useValue: new IdempotencyStore() },
        UnitOfWork,
        AggregateRepository,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [PostgresEventStore, UnitOfWork, AggregateRepository, IdempotencyStore],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const topic = serviceTopic(this.options.service, this.options.topicPrefix);
    // Read first: a wrong keys file stops the start before anything is done.
    const sealKeys = relaySealKeysOf(this.config, this.store.sealer);
    await this.store.migrate();
    if (this.store.sealer) this.logger.log(`appends sealed with key ${this.store.sealer.keyId}`);
    else this.logger.warn('appends are not sealed: NQPF_EVENT_SEAL_KEY_FILE is unset (development only)');
    await this.idempotency.migrate(this.pool);
    await createTopics(this.kafka, [topic], this.options.partitions ?? TOPIC_PARTITIONS, this.durability);
    this.publisher = new KafkaEventPublisher(this.kafka);
    const relay = new OutboxRelay({
      pool: this.pool,
      publisher: this.publisher,
      sealKeyId: this.store.sealer?.keyId,
      sealKeys,
      topics: [topic],
      onError: (err) => this.logger.warn(`outbox relay: ${(err as Error).message}`),
    });
    this.relay = relay;
    registerOutboxGauges(this.metrics.registry, relay);
    this.health.register('outbox', async () => {
      await relay.backlog();
    });
    relay.start();
    // Hourly on every replica (deleting a row twice is impossible, so they need no coordination).
    this.pruning = setInterval(() => void this.pruneIdempotency(), 3_600_000).unref();
    void this.pruneIdempotency();
  }

  private async pruneIdempotency(): Promise<void> {
    try {
      const deleted = await this.idempotency.prune(this.pool, this.config.IDEMPOTENCY_RETENTION_HOURS);
      if (deleted > 0) this.logger.log(`forgot ${deleted} idempotency answers past their retention`);
    } catch (err) {
      this.logger.warn(`idempotency pruning: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruning);
    await this.relay?.stop();
    await this.publisher?.disconnect();
  }
}
