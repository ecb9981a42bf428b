import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { serviceTopic } from '@nqpf/contracts';
import { BaseConfig, Clock, CONFIG, KAFKA, TopicReadMark } from '@nqpf/platform';

/** The consumer group of assessment's consumer of review's and reporting's topics. */
export const centersGroupId = (topicPrefix: string) => `${topicPrefix}.assessment.centers`;

/**
 * Assessment's copy of reporting's events (activity counts, report periods: assessment.store.ts), fed by
 * its consumer, which can lag. An assessment records them for good, so it reads them only once the copy
 * holds everything reporting had published when the assessment was asked for.
 */
@Injectable()
export class ReportingCopy implements OnApplicationShutdown {
  readonly mark: TopicReadMark;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CONFIG) config: BaseConfig,
    private readonly clock: Clock,
  ) {
    this.mark = new TopicReadMark(kafka, clock, {
      topic: serviceTopic('reporting', config.KAFKA_TOPIC_PREFIX),
      groupId: centersGroupId(config.KAFKA_TOPIC_PREFIX),
      copy: "assessment's copy of reporting's activities and reports",
    });
  }

  /**
   * Waits until the copy holds what reporting had published about this center (its partition: reporting's
   * events are keyed by center), NotReadyYet after the mark's waitMs (a command answers 503).
   */
  currentFor(centerId: string): Promise<void> {
    return this.mark.readUpTo(this.clock.now().getTime(), { key: centerId });
  }

  onApplicationShutdown(): Promise<void> {
    return this.mark.close();
  }
}
