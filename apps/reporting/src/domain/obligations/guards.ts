import { IllegalTransitionError, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { OpenObligations, ObligationsState } from './obligations.types';
import { isOwedAtEnd, ReportPeriod } from './report-period';

/** Commands act only on a recognised center that is not revoked; revocation is final (A16, A17.3). */
export function requireActive(state: ObligationsState, action: string): OpenObligations {
  if (state.status === 'none') throw new NotFoundError('recognised center');
  if (state.status === 'ended')
    throw new IllegalTransitionError(
      `center revoked on ${state.ended!.endedOn} (${state.ended!.ruleId}); recognition is revoked for good`,
      action,
    );
  return state;
}

/**
 * A report acts on a recognised center that is not revoked, or on a revoked one for a period lived before the
 * revocation (isOwedAtEnd); a later period is refused naming the revocation.
 */
export function requireReportOwed(
  state: ObligationsState,
  period: ReportPeriod,
  action: string,
): OpenObligations {
  if (state.status !== 'ended') return requireActive(state, action);
  const { endedOn, ruleId } = state.ended!;
  if (!isOwedAtEnd(period, endedOn))
    throw new IllegalTransitionError(
      `center revoked on ${endedOn} (${ruleId}); recognition is revoked for good, and period ${period.key} ended after that day (${period.end}): only the reports of periods ended by then are owed`,
      action,
    );
  return state;
}

/** A date refused names its field and the article whose dates it is (e.g. A16 for a change's effective day). */
export function requireNotBefore(
  field: string,
  date: string,
  earliest: string,
  what: string,
  rule: string,
): void {
  if (date < earliest)
    throw new InvalidInputError(field, `${rule}: must not be before ${what} (${earliest}), got ${date}`);
}

export function requireNotAfter(
  field: string,
  date: string,
  latest: string,
  what: string,
  rule: string,
): void {
  if (date > latest)
    throw new InvalidInputError(field, `${rule}: must not be after ${what} (${latest}), got ${date}`);
}
