import { OperatingDeadlinePassedV1, ReportingEventTypes as T } from '@nqpf/contracts';
import { NotFoundError, RuleViolationError, requireDate } from '@nqpf/domain';
import { operatingDeadline, Policy } from '@nqpf/rules';
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

export function operatingDeadlinePassed(
  state: OpenObligations,
  deadline: string,
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
    },
  };
}

/**
 * The stored deadline fired (the inclusive deadline day has ended). Recorded when no start on or before it
 * is confirmed and none declared on or before it awaits the district office (its rejection records it
 * then: rejectOperationStart). Nothing after revocation, nothing twice.
 */
export function passOperatingDeadline(
  c: Extract<ObligationsCommand, { kind: 'pass-operating-deadline' }>,
  state: ObligationsState,
): ObligationsEvent[] {
  if (state.status === 'none') throw new NotFoundError('recognised center');
  if (state.status === 'ended' || state.operatingDeadlinePassed) return [];
  const deadline = storedOperatingDeadline(state, c.policy);
  const today = requireDate('today', c.today);
  if (today <= deadline)
    throw new RuleViolationError(
      'A17.3',
      `the operating deadline ${deadline} is inclusive and has not passed on ${today}`,
    );
  if (state.startedOn !== null && state.startedOn <= deadline) return [];
  if (state.declaredStart && state.declaredStart.startedOn <= deadline) return [];
  return [operatingDeadlinePassed(state, deadline, today, 'deadline')];
}
