import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv7 } from '@nqpf/contracts';
import { AggregateRepository, Clock, UnitOfWork } from '@nqpf/platform';
import { Policy, shanghaiToday } from '@nqpf/rules';
import {
  POLICY_BOOK_STREAM,
  policyBookDecider,
  policyInForceOn,
} from '../domain/policy-book/policy-book.decider';
import { SubsidyAccountCommand } from '../domain/subsidy-account/subsidy-account.commands';
import { subsidyAccountDecider } from '../domain/subsidy-account/subsidy-account.decider';
import { subsidyAccountStream } from '../domain/subsidy-account/subsidy-account.events';
import { AssessmentsConsumer } from '../consumers/assessments.consumer';
import { heldGrantRevision, heldRevisions } from '../consumers/held-revisions';
import { lockCenter } from '../consumers/inbound-appender';
import { operatingDeadlineFacts, operatingDeadlines } from '../consumers/operating-deadlines';
import { AccountCommandMessage, AccountCommandView, AccountRequest } from './account.command';

/**
 * Every human use case of a subsidy account: give the decider fresh entry ids, today's date (Asia/Shanghai)
 * and the policy version in force today, then append with the loaded version (a concurrent writer → 409).
 * While finance holds a grade correction of the center (it would bring a grant below what was disbursed,
 * held-revisions.ts), nothing is disbursed; a correction of the account tries it again in its transaction.
 * A payment is checked against the center's A17.3a operating deadline as finance last read it
 * (operating-deadlines.ts), under the same lock.
 */
@CommandHandler(AccountCommandMessage)
export class AccountCommandHandler implements ICommandHandler<AccountCommandMessage, AccountCommandView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly assessments: AssessmentsConsumer,
  ) {}

  async execute(message: AccountCommandMessage): Promise<AccountCommandView> {
    const now = this.clock.now();
    const today = shanghaiToday(now);
    const { state: book } = await this.repository.load(policyBookDecider, POLICY_BOOK_STREAM);
    const command = this.command(message.request, today, () => policyInForceOn(book, today));
    const { centerId } = message;
    const execute = (decided: SubsidyAccountCommand = command) =>
      this.repository.execute(subsidyAccountDecider, subsidyAccountStream(centerId), decided, {
        actor: message.actor,
        correlationId: message.correlationId,
        centerId,
        occurredAt: now.toISOString(),
      });
    // The lock first, as finance's consumers take it: a correction then tries what it may let apply, and a
    // payment reads the holds and the operating deadline no consumer changes until it commits.
    const deadlineIn = async (tx: Parameters<typeof lockCenter>[0]) =>
      operatingDeadlineFacts(await operatingDeadlines.of(tx, centerId), book);
    const handled =
      command.kind === 'correct-entry'
        ? await this.uow.run(async (tx) => {
            await lockCenter(tx, centerId);
            // Only a replacement disbursement is checked against the deadline (a reversal alone pays nothing).
            const operatingDeadline = command.replacement ? await deadlineIn(tx) : undefined;
            const corrected = await execute({ ...command, operatingDeadline });
            await this.assessments.takeBackHeld(tx, centerId);
            return corrected;
          })
        : command.kind === 'disburse'
          ? await this.uow.run(async (tx) => {
              await lockCenter(tx, centerId);
              const held = await heldRevisions.of(tx, centerId);
              return execute({
                ...command,
                heldRevisions: held.map(heldGrantRevision),
                operatingDeadline: await deadlineIn(tx),
              });
            })
          : await execute();
    return {
      centerId: message.centerId,
      version: handled.version,
      recorded: handled.events.map((e) => ({ type: e.type, payload: e.payload })),
    };
  }

  private command(request: AccountRequest, today: string, policy: () => Policy): SubsidyAccountCommand {
    switch (request.kind) {
      case 'declare-year1-costs':
        return { ...request, declarationId: uuidv7(), declaredOn: today };
      case 'approve-year1-costs':
        return { ...request, approvedOn: today, entryId: uuidv7(), policy: policy() };
      case 'revise-year1-approval':
        return {
          ...request,
          revisedOn: today,
          reversalEntryId: uuidv7(),
          entryId: uuidv7(),
          policy: policy(),
        };
      case 'disburse':
        return {
          ...request,
          entryId: uuidv7(),
          disbursedOn: request.disbursedOn ?? today,
          recordedOn: today,
          reductionEntryId: uuidv7(),
        };
      case 'record-expenditure':
        return { ...request, expenditureId: uuidv7(), decidedOn: today, policy: policy() };
      case 'correct-entry':
        return {
          kind: 'correct-entry',
          reversalEntryId: uuidv7(),
          reversesEntryId: request.reversesEntryId,
          reason: request.reason,
          correctedOn: today,
          replacement: request.replacement && { ...request.replacement, entryId: uuidv7() },
          policy: policy(),
        };
    }
  }
}
