import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import {
  CenterRecognizedV1,
  EventEnvelope,
  EventPayloadSchemas,
  ReviewEventTypes,
  serviceTopic,
} from '@nqpf/contracts';
import { CONFIG, ConsumerHost, PG_POOL } from '@nqpf/platform';
import { retryParkedInBackground } from '@nqpf/messaging';
import { openOnRecognition } from '../application/inbound/inbound-commands';
import type { FinanceConfig } from '../config';
import { AssessmentsConsumer } from './assessments.consumer';
import { InboundAppender, lockCenter, parkedInbound } from './inbound-appender';

/**
 * review.center-recognized → the center's subsidy account opens with its support years (A12.1); assessment's
 * events parked while the account did not exist are applied right after, in the same transaction. A parked
 * event that fails then stays parked (logged, counted by the parked_events gauge): the account still opens.
 */
@Injectable()
export class RecognitionsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(RecognitionsConsumer.name);

  constructor(
    @Inject(CONFIG) private readonly config: FinanceConfig,
    private readonly consumers: ConsumerHost,
    private readonly appender: InboundAppender,
    private readonly assessments: AssessmentsConsumer,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  private readonly parkedFailed = (parked: EventEnvelope, err: Error) =>
    this.logger.error(
      `parked ${parked.type} ${parked.id} of center ${parked.centerId} failed once the account opened; ` +
        `it stays parked (parked_events{schema="finance_inbound"}): ${err.message}`,
    );

  /** Parked events tried again (ParkedEvents.retryAll): after a fix, a restart applies what had failed. */
  retryParked(): Promise<{ key: string; error: Error }[]> {
    return parkedInbound.retryAll(
      this.pool,
      lockCenter,
      (event, tx) => this.assessments.handle(event, tx),
      this.parkedFailed,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.finance.recognitions`,
      topics: [serviceTopic('review', prefix)],
      fromBeginning: true,
      validate: EventPayloadSchemas,
      eventTypes: [ReviewEventTypes.CenterRecognized],
      handle: (event, tx) => this.handle(event, tx),
    });
    retryParkedInBackground(
      () => this.retryParked(),
      (message) => this.logger.error(message),
    );
  }

  async handle(event: EventEnvelope, tx: PoolClient): Promise<void> {
    if (event.type !== ReviewEventTypes.CenterRecognized) return;
    const payload = event.payload as CenterRecognizedV1;
    await lockCenter(tx, payload.centerId);
    const policies = await this.appender.policies(tx);
    await this.appender.apply(tx, event, payload.centerId, openOnRecognition(payload, policies));
    await parkedInbound.takeBack(
      tx,
      payload.centerId,
      (parked) => this.assessments.handle(parked, tx),
      this.parkedFailed,
    );
  }
}
