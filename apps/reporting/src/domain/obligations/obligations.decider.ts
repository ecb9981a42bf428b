import { ReportingEventTypes as T } from '@nqpf/contracts';
import { Decider } from '@nqpf/domain';
import { declareOperationStart, confirmOperationStart, rejectOperationStart } from './decide-operation';
import { logActivity, withdrawActivity } from './decide-activity';
import { reportMajorChange } from './decide-major-change';
import { endObligations, openObligations } from './decide-open';
import { fileReport, passReportDeadline } from './decide-reports';
import { passOperatingDeadline } from './operating-deadline';
import { evolve } from './obligations.evolve';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';

function decide(command: ObligationsCommand, state: ObligationsState): ObligationsEvent[] {
  switch (command.kind) {
    case 'open':
      return openObligations(command, state);
    case 'declare-operation-start':
      return declareOperationStart(command, state);
    case 'confirm-operation-start':
      return confirmOperationStart(command, state);
    case 'reject-operation-start':
      return rejectOperationStart(command, state);
    case 'log-activity':
      return logActivity(command, state);
    case 'withdraw-activity':
      return withdrawActivity(command, state);
    case 'file-report':
      return fileReport(command, state);
    case 'pass-report-deadline':
      return passReportDeadline(command, state);
    case 'pass-operating-deadline':
      return passOperatingDeadline(command, state);
    case 'report-major-change':
      return reportMajorChange(command, state);
    case 'end-obligations':
      return endObligations(command, state);
  }
}

/** A14–A16: a recognised center's obligations — operation start, activities, reports, major changes. */
export const obligationsDecider: Decider<ObligationsCommand, ObligationsEvent, ObligationsState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: {
    [T.ObligationsOpened]: true,
    [T.ReportDueScheduled]: true,
    [T.OperationStartDeclared]: true,
    [T.OperationStartRejected]: true,
    [T.OperationStarted]: true,
    [T.ActivityLogged]: true,
    [T.ActivityWithdrawn]: true,
    [T.ReportFiled]: true,
    [T.ReportCorrected]: true,
    [T.ReportOverdue]: true,
    [T.MajorChangeReported]: true,
    [T.MajorChangeEvaluated]: true,
    [T.ObligationsEnded]: true,
    [T.OperatingDeadlinePassed]: true,
  },
};

/** A6.5 input to the annual assessment: activities recorded for a calendar year. */
export function activityCount(state: ObligationsState, year: number): number {
  return state.status === 'none' ? 0 : (state.activitiesByYear[year] ?? 0);
}
