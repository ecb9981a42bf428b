import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv7 } from '@nqpf/contracts';
import { AggregateRepository, Clock } from '@nqpf/platform';
import { Policy, shanghaiToday } from '@nqpf/rules';
import {
  POLICY_BOOK_STREAM,
  policyBookDecider,
  policyInForceOn,
} from '../domain/policy-book/policy-book.decider';
import { SubsidyAccountCommand } from '../domain/subsidy-account/subsidy-account.commands';
import { subsidyAccountDecider } from '../domain/subsidy-account/subsidy-account.decider';
import { subsidyAccountStream } from '../domain/subsidy-account/subsidy-account.events';
import { AccountCommandMessage, AccountCommandView, AccountRequest } from './account.command';

/**
 * Every human use case of a subsidy account: give the decider fresh entry ids, today's date (Asia/Shanghai)
 * and the policy version in force today, then append with the loaded version (a concurrent writer → 409).
 */
@CommandHandler(AccountCommandMessage)
export class AccountCommandHandler implements ICommandHandler<AccountCommandMessage, AccountCommandView> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly clock: Clock,
  ) {}

  async execute(message: AccountCommandMessage): Promise<AccountCommandView> {
    const now = this.clock.now();
    const today = shanghaiToday(now);
    const { state: book } = await this.repository.load(policyBookDecider, POLICY_BOOK_STREAM);
    const command = this.command(message.request, today, () => policyInForceOn(book, today));
    const handled = await this.repository.execute(
      subsidyAccountDecider,
      subsidyAccountStream(message.centerId),
      command,
      {
        actor: message.actor,
        correlationId: message.correlationId,
        centerId: message.centerId,
        occurredAt: now.toISOString(),
      },
    );
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
