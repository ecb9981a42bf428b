import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, RuleViolationError } from '@nqpf/domain';
import { decideOperatingDeadline } from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import {
  operatingDeadlinePassed,
  requireRecognitionPolicy,
  storedOperatingDeadline,
} from './operating-deadline';
import { ObligationsCommand, ObligationsEvent, ObligationsState, OpenObligations } from './obligations.types';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

/**
 * 投入运营: the operator declares the start date; not in the future, not before recognition, and not once
 * the operating deadline is recorded as passed (A17.3a: the revocation follows). A start on or before the
 * deadline is declared by the deadline: declared later, it would hold the deadline back only while the
 * timer had not run yet, so the outcome would depend on when the timer ticks. A later start can still be
 * declared (and confirmed), which records the A17.3a miss with it.
 */
export function declareOperationStart(
  c: Cmd<'declare-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'declare operation start');
  if (state.status === 'operating')
    throw new IllegalTransitionError('center operating', 'declare operation start');
  if (state.declaredStart)
    throw new IllegalTransitionError(
      'operation start awaiting district confirmation',
      'declare operation start',
    );
  if (state.operatingDeadlinePassed)
    throw new IllegalTransitionError(
      `operating deadline passed on ${state.operatingDeadlinePassed.passedOn} without a start (A17.3a)`,
      'declare operation start',
    );
  const today = requireDate('today', c.today);
  const startedOn = requireDate('startedOn', c.startedOn);
  requireNotBefore('startedOn', startedOn, state.recognizedOn, 'the recognition date', 'A17.3');
  requireNotAfter('startedOn', startedOn, today, 'today', 'A17.3');
  const deadline = storedOperatingDeadline(state, c.policy);
  if (startedOn <= deadline && today > deadline)
    throw new RuleViolationError(
      'A17.3',
      `a start on or before the operating deadline ${deadline} is declared by then; on ${today} it is too late`,
      { field: 'startedOn', operatingDeadline: deadline },
    );
  return [
    {
      type: T.OperationStartDeclared,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, declaredOn: today },
    },
  ];
}

/**
 * The district office confirms the declared start; the A17.3a check against the deadline stored at
 * recognition is recorded with it, under the policy recorded then.
 */
export function confirmOperationStart(
  c: Cmd<'confirm-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'confirm operation start');
  requireJudgedStart(state, c.startedOn, 'confirm operation start');
  const today = requireDate('today', c.today);
  const { startedOn, declaredOn } = state.declaredStart;
  const deadline = storedOperatingDeadline(state, c.policy);
  const decision = underRules(() =>
    decideOperatingDeadline(
      { recognizedOn: state.recognizedOn, operationStartedOn: startedOn, asOf: today },
      requireRecognitionPolicy(state, c.policy),
    ),
  );
  if (decision.outcome.deadline !== deadline)
    throw new RuleViolationError(
      'A17.3',
      `policy ${c.policy.version} gives the deadline ${decision.outcome.deadline}, not the stored ${deadline}`,
    );
  return [
    {
      type: T.OperationStarted,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, declaredOn, confirmedOn: today, decision },
    },
  ];
}

/**
 * A declared start to judge, and, when the office names the start it read (`startedOn`), that one: the
 * operator may have declared another since (after a rejection), which the office has not seen (409).
 */
function requireJudgedStart(
  state: OpenObligations,
  startedOn: string | undefined,
  action: string,
): asserts state is OpenObligations & { declaredStart: NonNullable<OpenObligations['declaredStart']> } {
  if (!state.declaredStart)
    throw new IllegalTransitionError(
      state.status === 'operating' ? 'center operating' : 'no operation start declared',
      action,
    );
  if (startedOn !== undefined && startedOn !== state.declaredStart.startedOn)
    throw new IllegalTransitionError(
      `the start declared now is ${state.declaredStart.startedOn}, not ${requireDate('startedOn', startedOn)}`,
      action,
    );
}

/**
 * The district office does not confirm, in writing; the operator may declare again. A start declared in
 * time that still awaited the office when the deadline passed held the deadline's record back: rejected
 * after the deadline, it is recorded now (reporting.operating-deadline-passed, on the rejection day).
 */
export function rejectOperationStart(
  c: Cmd<'reject-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'reject operation start');
  requireJudgedStart(state, c.startedOn, 'reject operation start');
  const today = requireDate('today', c.today);
  const reason = requireText('reason', c.reason);
  const events: ObligationsEvent[] = [
    {
      type: T.OperationStartRejected,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        startedOn: state.declaredStart.startedOn,
        rejectedOn: today,
        reason,
      },
    },
  ];
  const deadline = storedOperatingDeadline(state, c.policy);
  if (today > deadline && !state.operatingDeadlinePassed) {
    // This rejection revokes (A17.3a): never by a click that did not know it.
    if (c.deadlinePassedAcknowledged !== true)
      throw new RuleViolationError(
        'A17.3',
        `the operating deadline ${deadline} has passed: rejecting the start declared for ${state.declaredStart.startedOn} records that no start was made in time, and the center is revoked; send deadlinePassedAcknowledged: true to reject it`,
        { field: 'deadlinePassedAcknowledged', deadline },
      );
    events.push(operatingDeadlinePassed(state, deadline, today, 'start-rejected'));
  }
  return events;
}
