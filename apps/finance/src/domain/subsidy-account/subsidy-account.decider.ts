import { FinanceEventTypes as T } from '@nqpf/contracts';
import { Decider } from '@nqpf/domain';
import { decideOpen, decideStopSupport } from './decide-lifecycle';
import {
  decideApproveYear1Costs,
  decideDeclareYear1Costs,
  decideGrantOnAssessment,
  decideReviseYear1Approval,
} from './decide-grants';
import { decideReviseGrantOnAssessment } from './decide-grant-revision';
import { decideCorrectEntry, decideDisburse, decideRecordExpenditure } from './decide-ledger';
import { SubsidyAccountCommand } from './subsidy-account.commands';
import { SubsidyAccountEvent } from './subsidy-account.events';
import { evolve, SubsidyAccountState } from './subsidy-account.state';

function decide(command: SubsidyAccountCommand, state: SubsidyAccountState): SubsidyAccountEvent[] {
  switch (command.kind) {
    case 'open':
      return decideOpen(command, state);
    case 'declare-year1-costs':
      return decideDeclareYear1Costs(command, state);
    case 'approve-year1-costs':
      return decideApproveYear1Costs(command, state);
    case 'revise-year1-approval':
      return decideReviseYear1Approval(command, state);
    case 'grant-on-assessment':
      return decideGrantOnAssessment(command, state);
    case 'revise-grant-on-assessment':
      return decideReviseGrantOnAssessment(command, state);
    case 'stop-support':
      return decideStopSupport(command, state);
    case 'disburse':
      return decideDisburse(command, state);
    case 'record-expenditure':
      return decideRecordExpenditure(command, state);
    case 'correct-entry':
      return decideCorrectEntry(command, state);
  }
}

/** A12–A13: one center's subsidy account — support years, grants, disbursements, expenditures. */
export const subsidyAccountDecider: Decider<SubsidyAccountCommand, SubsidyAccountEvent, SubsidyAccountState> =
  {
    initialState: () => ({ status: 'none' }),
    decide,
    evolve,
    /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
    eventTypes: {
      [T.SubsidyAccountOpened]: true,
      [T.Year1CostsDeclared]: true,
      [T.Year1CostsApproved]: true,
      [T.Year1ApprovalRevised]: true,
      [T.AnnualGrantRevised]: true,
      [T.GrantDecided]: true,
      [T.SupportStopped]: true,
      [T.GrantCancelled]: true,
      [T.CancellationReduced]: true,
      [T.DisbursementRecorded]: true,
      [T.ExpenditureAccepted]: true,
      [T.ExpenditureRejected]: true,
      [T.EntryReversed]: true,
    },
  };
