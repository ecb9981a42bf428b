import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, RuleViolationError } from '@nqpf/domain';
import { decideOperatingDeadline, decideOperationStartDeclaration } from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import {
  operatingDeadlinePassed,
  requireRecognitionPolicy,
  storedOperatingDeadline,
  storedStartDeclarationsClose,
} from './operating-deadline';
import { ObligationsCommand, ObligationsEvent, ObligationsState, OpenObligations } from './obligations.types';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

/**
 * 投入运营: the operator declares the start date; not in the future, not before recognition (400), and
 * decided under the policy recorded at recognition (A17.3a, decision operation-start-declaration): a start
 * on or before the operating deadline is taken when declared by the day declarations close, the deadline +
 * operationStartDeclarationDays — the fact counts, not the day its paperwork arrives. A start after the
 * deadline is refused whenever it is declared (the center did not operate within two years: the deadline's
 * record revokes it, dated the day after the deadline). Both refusals are the same 422 whether or not the
 * timer has recorded the deadline yet: the outcome, and the answer, depend on the dates alone, never on when
 * the timer ticks. A record of the deadline the dates would not give yet (made the day after the deadline
 * by the release before declarations were kept open) still ends declaring (409).
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
  const today = requireDate('today', c.today);
  const startedOn = requireDate('startedOn', c.startedOn);
  requireNotBefore('startedOn', startedOn, state.recognizedOn, 'the recognition date', 'A17.3');
  requireNotAfter('startedOn', startedOn, today, 'today', 'A17.3');
  const deadline = storedOperatingDeadline(state, c.policy);
  const closeOn = storedStartDeclarationsClose(state, c.policy);
  const decision = underRules(() =>
    decideOperationStartDeclaration(
      { recognizedOn: state.recognizedOn, operationStartedOn: startedOn, declaredOn: today },
      requireRecognitionPolicy(state, c.policy),
    ),
  );
  const { outcome } = decision;
  if (outcome.deadline !== deadline || outcome.declarationsCloseOn !== closeOn)
    throw new RuleViolationError(
      'A17.3',
      `policy ${c.policy.version} gives the deadline ${outcome.deadline} and declarations until ${outcome.declarationsCloseOn}, not the stored ${deadline} and ${closeOn}`,
    );
  const details = {
    operatingDeadline: deadline,
    startDeclarationsCloseOn: closeOn,
    operationStartDeclarationDays: outcome.declarationDays,
    policyVersion: decision.policyVersion,
  };
  if (startedOn > deadline)
    throw new RuleViolationError(
      'A17.3',
      `a start on ${startedOn} is after the operating deadline ${deadline} (recognition + 2 years, inclusive): the center did not start operating in time, and the deadline's record revokes it`,
      { field: 'startedOn', ...details },
    );
  if (!outcome.accepted)
    throw new RuleViolationError(
      'A17.3',
      `a start on or before the operating deadline ${deadline} is declared by ${closeOn} (${outcome.declarationDays} days after it); on ${today} it is too late, whatever startedOn: declarations of a start have closed (no field of the request can change this)`,
      { ...details, declaredOn: today },
    );
  if (state.operatingDeadlinePassed)
    throw new IllegalTransitionError(
      `operating deadline passed on ${state.operatingDeadlinePassed.passedOn} without a start (A17.3a)`,
      'declare operation start',
    );
  return [
    {
      type: T.OperationStartDeclared,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, declaredOn: today, decision },
    },
  ];
}

/**
 * The district office confirms the declared start, in writing: what the confirmation rests on (`basis`: a
 * site check, a document reference), as a rejection says why. The A17.3a check against the deadline stored
 * at recognition is recorded with it, under the policy recorded then.
 */
export function confirmOperationStart(
  c: Cmd<'confirm-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'confirm operation start');
  requireJudgedStart(state, c.startedOn, 'confirm operation start');
  const today = requireDate('today', c.today);
  const basis = requireText('basis', c.basis);
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
      payload: { centerId: state.centerId, startedOn, declaredOn, confirmedOn: today, decision, basis },
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
 * The district office does not confirm, in writing; the operator may declare again (a start made by the
 * deadline: until declarations close). A start declared in time that still awaited the office when
 * declarations closed held the deadline's record back: rejected after that, it is recorded now
 * (reporting.operating-deadline-passed, on the rejection day).
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
  const closeOn = storedStartDeclarationsClose(state, c.policy);
  if (today > closeOn && !state.operatingDeadlinePassed) {
    // This rejection revokes (A17.3a): never by a click that did not know it.
    if (c.deadlinePassedAcknowledged !== true)
      throw new RuleViolationError(
        'A17.3',
        `the operating deadline ${deadline} has passed and declarations of a start closed on ${closeOn}: rejecting the start declared for ${state.declaredStart.startedOn} records that no start was made in time, and the center is revoked; send deadlinePassedAcknowledged: true to reject it`,
        { field: 'deadlinePassedAcknowledged', deadline, startDeclarationsCloseOn: closeOn },
      );
    events.push(operatingDeadlinePassed(state, deadline, closeOn, today, 'start-rejected'));
  }
  return events;
}
