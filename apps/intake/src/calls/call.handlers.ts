import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv7 } from '@nqpf/contracts';
import { AggregateRepository, Clock } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { callDecider, CallState } from '../domain/call/call.decider';
import { CloseCallCommand, OpenCallCommand } from './open-call.command';

export const callStream = (callId: string) => `call-${callId}`;

export interface CallView {
  callId: string;
  status: CallState['status'];
  version: number;
}

@CommandHandler(OpenCallCommand)
export class OpenCallHandler implements ICommandHandler<OpenCallCommand, CallView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(c: OpenCallCommand): Promise<CallView> {
    const callId = uuidv7();
    const { state, version } = await this.repository.execute(
      callDecider,
      callStream(callId),
      { kind: 'open', callId, year: c.year, opensOn: c.opensOn, closesOn: c.closesOn },
      { actor: c.actor, correlationId: c.correlationId, occurredAt: this.clock.now().toISOString() },
    );
    return { callId, status: state.status, version };
  }
}

@CommandHandler(CloseCallCommand)
export class CloseCallHandler implements ICommandHandler<CloseCallCommand, CallView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(c: CloseCallCommand): Promise<CallView> {
    const now = this.clock.now();
    const { state, version } = await this.repository.execute(
      callDecider,
      callStream(c.callId),
      { kind: 'close', callId: c.callId, closedOn: shanghaiToday(now) },
      { actor: c.actor, correlationId: c.correlationId, occurredAt: now.toISOString() },
    );
    return { callId: c.callId, status: state.status, version };
  }
}
