import { DomainError, foldEvents } from '@nqpf/domain';
import { defaultPolicy, Policy } from '@nqpf/rules';
import { Money } from '../../money/money';
import {
  ApproveYear1Costs,
  DeclareYear1Costs,
  Disburse,
  GrantOnAssessment,
  OpenAccount,
  RecordExpenditure,
  ReviseYear1Approval,
  StopSupport,
  SubsidyAccountCommand,
} from '../subsidy-account.commands';
import { subsidyAccountDecider } from '../subsidy-account.decider';
import { SubsidyAccountEvent } from '../subsidy-account.events';
import { OpenAccountState } from '../subsidy-account.state';

export const HASH = 'a'.repeat(64);
export const fen = (n: number | bigint) => Money.ofFen(BigInt(n));
export const yuan = (text: string) => Money.parseYuan(text, 'amountYuan');

/** Given the events so far, when the command runs: the new events (or the error). */
export function given(events: SubsidyAccountEvent[]) {
  return {
    when: (command: SubsidyAccountCommand) =>
      subsidyAccountDecider.decide(command, foldEvents(subsidyAccountDecider, events)),
  };
}

/** Runs commands one after another, keeping every event. */
export function history(...commands: SubsidyAccountCommand[]): SubsidyAccountEvent[] {
  return commands.reduce<SubsidyAccountEvent[]>((events, c) => [...events, ...given(events).when(c)], []);
}

export function stateOf(events: SubsidyAccountEvent[]): OpenAccountState {
  const state = foldEvents(subsidyAccountDecider, events);
  if (state.status === 'none') throw new Error('no account');
  return state;
}

/** The DomainError a run throws, for asserting its field / rule / state. */
export function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

export const open = (policy: Policy = defaultPolicy): OpenAccount => ({
  kind: 'open',
  centerId: 'center-1',
  district: '朝阳区',
  operatorId: 'operator-1',
  recognizedOn: '2026-03-10',
  policy,
});

export const declare = (amount: Money, category = 'construction'): DeclareYear1Costs => ({
  kind: 'declare-year1-costs',
  declarationId: 'd1',
  declaredOn: '2026-04-01',
  items: [{ category, amount, evidenceHash: HASH, description: 'fit-out' }],
});

export const approve = (
  amount: Money,
  reason: string | null = null,
  policy: Policy = defaultPolicy,
): ApproveYear1Costs => ({
  kind: 'approve-year1-costs',
  declarationId: 'd1',
  approved: amount,
  reason,
  approvedOn: '2026-05-01',
  entryId: 'g1',
  policy,
});

export const revise = (
  amount: Money,
  reason = 'approved amount keyed wrongly',
  policy: Policy = defaultPolicy,
): ReviseYear1Approval => ({
  kind: 'revise-year1-approval',
  declarationId: 'd1',
  approved: amount,
  reason,
  revisedOn: '2026-05-20',
  reversalEntryId: 'rev-g1',
  entryId: 'g1b',
  policy,
});

export const assessed = (
  assessedSupportYear: number,
  grade: '优秀' | '良好' | '合格' | '不合格',
  policy: Policy = defaultPolicy,
): GrantOnAssessment => ({
  kind: 'grant-on-assessment',
  assessedYear: 2025 + assessedSupportYear,
  assessedSupportYear,
  grade,
  decidedOn: `${2026 + assessedSupportYear}-03-01`,
  entryId: `g${assessedSupportYear + 1}`,
  policy,
});

export const revoke = (revokedOn = '2027-06-01'): StopSupport => ({
  kind: 'stop-support',
  revokedOn,
  rule: 'A16',
  reason: 'premises reduced below 5000 m²',
});

export const disburse = (supportYear: number, amount: Money, entryId = `pay-${supportYear}`): Disburse => ({
  kind: 'disburse',
  entryId,
  supportYear,
  amount,
  disbursedOn: '2026-06-01',
  recordedOn: '2026-06-01',
  reference: `voucher ${entryId}`,
  reductionEntryId: `less-${entryId}`,
});

export const spend = (
  supportYear: number,
  category: string,
  amount: Money,
  expenditureId = 'x1',
  policy: Policy = defaultPolicy,
): RecordExpenditure => ({
  kind: 'record-expenditure',
  expenditureId,
  supportYear,
  category,
  amount,
  evidenceHash: HASH,
  spentOn: '2026-07-01',
  description: 'invoice',
  decidedOn: '2026-07-02',
  policy,
});
