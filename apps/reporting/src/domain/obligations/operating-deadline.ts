import { OperatingDeadlinePassedV1, ReportingEventTypes as T } from '@nqpf/contracts';
import { NotFoundError, RuleViolationError, requireDate } from '@nqpf/domain';
import { operatingDeadline, operationStartDeclarationsClose, Policy } from '@nqpf/rules';
import { ObligationsCommand, ObligationsEvent, ObligationsState, OpenObligations } from './obligations.types';

/**
 * A17.3a is decided under the policy version recorded when the obligations opened (the one in force on the
 * recognition date), never under a later one: a command brings that version or is refused.
 */
export function requireRecognitionPolicy(state: OpenObligations, policy: Policy): Policy {
  if (policy.version !== state.policyVersion)
    throw new RuleViolationError(
      'A17.3',
      `the operating deadline is decided under the policy recorded at recognition (${state.policyVersion}), not ${policy.version}`,
      { policyVersion: state.policyVersion },
    );
  return policy;
}

/** The one operating deadline: stored at recognition, or for older obligations decided from its policy. */
export function storedOperatingDeadline(state: OpenObligations, policy: Policy): string {
  if (state.operatingDeadline !== null) return state.operatingDeadline;
  return operatingDeadline(state.recognizedOn, requireRecognitionPolicy(state, policy));
}

/**
 * The last day a start on or before the deadline may be declared: stored at recognition, or for older
 * obligations decided from its policy (its operationStartDeclarationDays; a version without it: the default).
 */
export function storedStartDeclarationsClose(state: OpenObligations, policy: Policy): string {
  if (state.startDeclarationsCloseOn !== null) return state.startDeclarationsCloseOn;
  return operationStartDeclarationsClose(state.recognizedOn, requireRecognitionPolicy(state, policy));
}

export function operatingDeadlinePassed(
  state: OpenObligations,
  deadline: string,
  startDeclarationsCloseOn: string,
  passedOn: string,
  cause: OperatingDeadlinePassedV1['cause'],
): ObligationsEvent {
  return {
    type: T.OperatingDeadlinePassed,
    schemaVersion: 1,
    payload: {
      centerId: state.centerId,
      recognizedOn: state.recognizedOn,
      operatingDeadline: deadline,
      policyVersion: state.policyVersion,
      passedOn,
      cause,
      startedOn: state.startedOn,
      declaredStart: state.declaredStart,
      startDeclarationsCloseOn,
    },
  };
}

/**
 * The stored deadline fired: the inclusive deadline day has ended, and so has the last day a start made by
 * it could still be declared (storedStartDeclarationsClose). Recorded when no start on or before the
 * deadline is confirmed and none declared awaits the district office (its rejection records it then:
 * rejectOperationStart). Nothing after revocation, nothing twice.
 */
export function passOperatingDeadline(
  c: Extract<ObligationsCommand, { kind: 'pass-operating-deadline' }>,
  state: ObligationsState,
): ObligationsEvent[] {
  if (state.status === 'none') throw new NotFoundError('recognised center');
  if (state.status === 'ended' || state.operatingDeadlinePassed) return [];
  const deadline = storedOperatingDeadline(state, c.policy);
  const closeOn = storedStartDeclarationsClose(state, c.policy);
  const today = requireDate('today', c.today);
  if (today <= closeOn)
    throw new RuleViolationError(
      'A17.3',
      `a start made by the operating deadline ${deadline} may be declared until ${closeOn} inclusive: the deadline's record waits until that day has ended, not on ${today}`,
    );
  if (state.startedOn !== null && state.startedOn <= deadline) return [];
  if (state.declaredStart && state.declaredStart.startedOn <= deadline) return [];
  return [operatingDeadlinePassed(state, deadline, closeOn, today, 'deadline')];
}
