import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv7 } from '@nqpf/contracts';
import type { PoolClient } from 'pg';
import { AggregateRepository, Clock, UnitOfWork } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { callDecider, CallState } from '../domain/call/call.decider';
import { CloseCallCommand, OpenCallCommand } from './open-call.command';

export const callStream = (callId: string) => `call-${callId}`;

/**
 * A7 between a call's close and the applications checking it: drafts and submissions hold the call's lock
 * shared while they read it and until they commit, a close holds it alone. So a close waits for the
 * submissions that found the call open, and every later one finds it closed.
 */
export async function lockCall(tx: PoolClient, callId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.query(`select ${fn}(hashtextextended($1, 0))`, [`intake.call:${callId}`]);
}

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
      {
        kind: 'open',
        callId,
        year: c.year,
        opensOn: c.opensOn,
        closesOn: c.closesOn,
        today: shanghaiToday(this.clock.now()),
      },
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
    private readonly uow: UnitOfWork,
  ) {}

  async execute(c: CloseCallCommand): Promise<CallView> {
    const now = this.clock.now();
    return this.uow.run(async (tx) => {
      await lockCall(tx, c.callId, 'exclusive');
      const { state, version } = await this.repository.execute(
        callDecider,
        callStream(c.callId),
        { kind: 'close', callId: c.callId, closedOn: shanghaiToday(now), reason: c.reason },
        { actor: c.actor, correlationId: c.correlationId, occurredAt: now.toISOString() },
        { tx },
      );
      return { callId: c.callId, status: state.status, version };
    });
  }
}
