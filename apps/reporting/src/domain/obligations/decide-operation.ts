import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError } from '@nqpf/domain';
import { decideOperatingDeadline } from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

/** 投入运营: the operator declares the start date; not in the future, not before recognition. */
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
  requireNotBefore('startedOn', startedOn, state.recognizedOn, 'the recognition date');
  requireNotAfter('startedOn', startedOn, today, 'today');
  return [
    {
      type: T.OperationStartDeclared,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, declaredOn: today },
    },
  ];
}

/** The district office confirms the declared start; the A17.3a deadline check is recorded with it. */
export function confirmOperationStart(
  c: Cmd<'confirm-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'confirm operation start');
  if (!state.declaredStart)
    throw new IllegalTransitionError(
      state.status === 'operating' ? 'center operating' : 'no operation start declared',
      'confirm operation start',
    );
  const today = requireDate('today', c.today);
  const { startedOn, declaredOn } = state.declaredStart;
  const decision = underRules(() =>
    decideOperatingDeadline(
      { recognizedOn: state.recognizedOn, operationStartedOn: startedOn, asOf: today },
      c.policy,
    ),
  );
  return [
    {
      type: T.OperationStarted,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, declaredOn, confirmedOn: today, decision },
    },
  ];
}

/** The district office does not confirm, in writing; the operator may declare again. */
export function rejectOperationStart(
  c: Cmd<'reject-operation-start'>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'reject operation start');
  if (!state.declaredStart)
    throw new IllegalTransitionError(
      state.status === 'operating' ? 'center operating' : 'no operation start declared',
      'reject operation start',
    );
  const today = requireDate('today', c.today);
  const reason = requireText('reason', c.reason);
  return [
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
}
