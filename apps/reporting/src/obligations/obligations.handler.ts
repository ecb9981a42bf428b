import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { assertCanActOrNotFound } from '@nqpf/auth';
import { uuidv7 } from '@nqpf/contracts';
import { NotFoundError } from '@nqpf/domain';
import { Clock, PublishedPolicies, retryingConflicts, UnitOfWork } from '@nqpf/platform';
import { shanghaiToday } from '@nqpf/rules';
import { ObligationsCommand } from '../domain/obligations/obligations.types';
import { ObligationsCommandMessage, ObligationsRequest, ObligationsResult } from './obligations.command';
import { ObligationsExecutor } from './obligations.executor';

/**
 * Every obligations use case: the center must be recognised; the actor must be its operator, its
 * district office or the bureau (roles per route); the decider gets the day the request arrived and the
 * policy. A version conflict (the report or operating-deadline timer appending at midnight) is decided
 * again on that same day, not answered 409: the caller's retry would come on the next day, late.
 */
@CommandHandler(ObligationsCommandMessage)
export class ObligationsHandler implements ICommandHandler<ObligationsCommandMessage, ObligationsResult> {
  constructor(
    private readonly executor: ObligationsExecutor,
    private readonly clock: Clock,
    private readonly policies: PublishedPolicies,
    private readonly uow: UnitOfWork,
  ) {}

  execute(m: ObligationsCommandMessage): Promise<ObligationsResult> {
    const now = this.clock.now();
    const today = shanghaiToday(now);
    const id =
      m.request.kind === 'log-activity' || m.request.kind === 'report-major-change' ? uuidv7() : undefined;
    return this.uow.run((tx) =>
      retryingConflicts(tx, async () => {
        const loaded = await this.executor.load(m.centerId, tx);
        const { state } = loaded;
        // Another's center answers as one not recognised: the same 404, before its state (409) or a rule (422).
        const notFound = () => new NotFoundError('recognised center', m.centerId);
        if (state.status === 'none') throw notFound();
        const target = { id: m.centerId, centerId: m.centerId, district: state.district };
        assertCanActOrNotFound(m.actor, target, 'write', notFound);
        const handled = await this.executor.run(
          m.centerId,
          await toCommand(m.request, today, state.policyVersion, this.policies, id),
          { actor: m.actor, correlationId: m.correlationId, occurredAt: now.toISOString() },
          { tx, loaded },
        );
        return {
          centerId: m.centerId,
          status: handled.state.status,
          version: handled.version,
          ...(id ? { id } : {}),
          recorded: handled.events.map((e) => ({ type: e.type, payload: e.payload })),
        };
      }),
    );
  }
}

/**
 * The policy is read only for the commands that decide by it: the one in force today, except for A17.3a,
 * which is decided under the version recorded at recognition.
 */
async function toCommand(
  r: ObligationsRequest,
  today: string,
  recognitionPolicyVersion: string,
  policies: PublishedPolicies,
  id?: string,
): Promise<ObligationsCommand> {
  switch (r.kind) {
    case 'declare-operation-start':
    case 'confirm-operation-start':
    case 'reject-operation-start':
      return { ...r, today, policy: await policies.version(recognitionPolicyVersion) };
    case 'log-activity':
      return { ...r, activityId: id!, today };
    case 'withdraw-activity':
      return { ...r, today };
    case 'file-report':
      return { ...r, kind: 'file-report', today, policy: await policies.inForceOn(today) };
    case 'report-major-change':
      return { ...r, changeId: id!, today, policy: await policies.inForceOn(today) };
  }
}
