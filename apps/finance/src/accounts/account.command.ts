import type { Actor } from '@nqpf/contracts';
import { Money } from '../domain/money/money';
import { DeclaredCost } from '../domain/subsidy-account/subsidy-account.commands';

export type ReplacementRequest =
  | {
      kind: 'disbursement';
      amount: Money;
      disbursedOn: string;
      reference?: string | null;
      deadlinePassedAcknowledged?: boolean;
    }
  | {
      kind: 'expenditure';
      category: string;
      amount: Money;
      evidenceHash: string;
      spentOn: string;
      description?: string;
    };

/** What an HTTP request asks of a subsidy account; the handler adds ids, today's date and the policy in force. */
export type AccountRequest =
  | {
      kind: 'declare-year1-costs';
      items: DeclaredCost[];
      replacesDeclarationId?: string | null;
      reason?: string | null;
    }
  | { kind: 'approve-year1-costs'; declarationId: string; approved: Money; reason?: string | null }
  | { kind: 'revise-year1-approval'; declarationId: string; approved: Money; reason: string }
  | {
      kind: 'disburse';
      supportYear: number;
      amount: Money;
      disbursedOn?: string;
      reference: string;
      deadlinePassedAcknowledged?: boolean;
    }
  | {
      kind: 'record-expenditure';
      supportYear: number;
      category: string;
      amount: Money;
      evidenceHash: string;
      spentOn: string;
      description?: string;
    }
  | { kind: 'correct-entry'; reversesEntryId: string; reason: string; replacement?: ReplacementRequest };

export class AccountCommandMessage {
  constructor(
    readonly centerId: string,
    readonly request: AccountRequest,
    readonly actor: Actor,
    readonly correlationId: string,
  ) {}
}

/** The result of a command: the new stream version and what was recorded (event types and their ids). */
export interface AccountCommandView {
  centerId: string;
  version: number;
  recorded: { type: string; payload: unknown }[];
}
