import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApplicationAcceptedV1,
  EventEnvelope,
  IntakeEventSchemas,
  IntakeEventTypes,
  serviceTopic,
} from '@nqpf/contracts';
import { AggregateRepository, CONFIG, ConsumerHost } from '@nqpf/platform';
import { candidacyAggregate } from './candidacy.aggregate';
import type { ReviewConfig } from '../config';
import { CandidacyCommandMessage } from './candidacy.command';
import { candidacyStream } from './streams';

/**
 * intake.application-accepted opens the candidacy and decides A6 eligibility. A redelivered event finds
 * the candidacy already open and does nothing (the stream, not the inbox, is the idempotency record here,
 * because the append commits in its own transaction).
 */
@Injectable()
export class ApplicationAcceptedConsumer implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: ReviewConfig,
    private readonly consumers: ConsumerHost,
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    await this.consumers.start({
      groupId: `${prefix}.review.applications`,
      topics: [serviceTopic('intake', prefix)],
      fromBeginning: true,
      validate: IntakeEventSchemas,
      eventTypes: [IntakeEventTypes.ApplicationAccepted],
      handle: (event) => this.handle(event),
    });
  }

  async handle(event: EventEnvelope): Promise<void> {
    if (event.type !== IntakeEventTypes.ApplicationAccepted) return;
    const accepted = event.payload as ApplicationAcceptedV1;
    const { state } = await this.repository.load(candidacyAggregate, candidacyStream(accepted.applicationId));
    if (state.status !== 'none') return;
    await this.commands.execute(
      new CandidacyCommandMessage(
        accepted.applicationId,
        { kind: 'open', accepted },
        { id: 'review', role: 'system' },
        event.correlationId,
        event.id,
      ),
    );
  }
}
