import { AssessmentEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import { decideOperatingDeadline, Policy } from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireTracked } from './guards';
import { revoked } from './revocation';
import { CenterCommand, CenterEvent, CenterState, TrackedCenter } from './center.types';

type Cmd<K> = Extract<CenterCommand, { kind: K }>;

/** CenterRecognized: follow the center, with its A17.3a operating deadline (recognition + 2 years, inclusive). */
export function track(c: Cmd<'track'>, state: CenterState): CenterEvent[] {
  if (state.status !== 'none') {
    if (state.centerId === c.centerId && state.recognizedOn === c.recognizedOn) return [];
    throw new IllegalTransitionError('center already recognised', 'track center');
  }
  const recognizedOn = requireDate('recognizedOn', c.recognizedOn);
  const decision = underRules(() => decideOperatingDeadline({ recognizedOn, asOf: recognizedOn }, c.policy));
  return [
    {
      type: T.CenterTracked,
      schemaVersion: 1,
      payload: {
        centerId: requireText('centerId', c.centerId, 100),
        district: requireText('district', c.district, 100),
        operatorId: requireText('operatorId', c.operatorId, 100),
        recognizedOn,
        operatingDeadline: decision.outcome.deadline,
        policyVersion: c.policy.version,
        decision,
      },
    },
  ];
}

/** reporting.operation-started: a start after the deadline revokes (A17.3a); after revocation, nothing. */
export function recordOperationStart(c: Cmd<'record-operation-start'>, s: CenterState): CenterEvent[] {
  const state = requireTracked(s, 'record operation start');
  if (state.revocation || state.startedOn !== null) return [];
  const startedOn = requireDate('startedOn', c.startedOn);
  const today = requireDate('today', c.today);
  if (startedOn < state.recognizedOn)
    throw new InvalidInputError(
      'startedOn',
      `must not be before recognition (${state.recognizedOn}), got ${startedOn}`,
    );
  const decision = underRules(() =>
    decideOperatingDeadline({ recognizedOn: state.recognizedOn, operationStartedOn: startedOn }, c.policy),
  );
  const events: CenterEvent[] = [
    {
      type: T.OperationStartRecorded,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, decision },
    },
  ];
  if (decision.outcome.revoke)
    events.push(revoked(state.centerId, today, 'A17.3a', 'not-operating-within-deadline', decision));
  return events;
}

/**
 * The stored deadline fired the day after recognition + 2 years: no start recorded by then → revoked (A17.3a).
 * A start declared on or before the deadline that the district office has not ruled on yet is not a missing
 * start: A17.3a looks at when operation started, not when it was confirmed. Its confirmation is recorded
 * as any start; its rejection revokes then (noteOperationStartRejected).
 */
export function passOperatingDeadline(c: Cmd<'pass-operating-deadline'>, s: CenterState): CenterEvent[] {
  const state = requireTracked(s, 'pass operating deadline');
  if (state.revocation || state.startedOn !== null) return [];
  const today = requireDate('today', c.today);
  if (today <= state.operatingDeadline)
    throw new RuleViolationError(
      'A17.3',
      `the operating deadline ${state.operatingDeadline} is inclusive and has not passed on ${today}`,
    );
  if (
    c.declaredStart &&
    requireDate('declaredStart.startedOn', c.declaredStart.startedOn) <= state.operatingDeadline
  )
    return [];
  return revokeIfNotStarted(state, today, c.policy);
}

/**
 * The district office rejected the declared start. After the deadline the center has not started in time
 * (A17.3a): revoked now, since the deadline's own check waited for this ruling. Before it, the deadline decides.
 */
export function noteOperationStartRejected(
  c: Cmd<'note-operation-start-rejected'>,
  s: CenterState,
): CenterEvent[] {
  const state = requireTracked(s, 'note operation start rejected');
  if (state.revocation || state.startedOn !== null) return [];
  requireDate('startedOn', c.startedOn);
  const today = requireDate('today', c.today);
  if (today <= state.operatingDeadline) return [];
  return revokeIfNotStarted(state, today, c.policy);
}

function revokeIfNotStarted(state: TrackedCenter, today: string, policy: Policy): CenterEvent[] {
  const decision = underRules(() =>
    decideOperatingDeadline(
      { recognizedOn: state.recognizedOn, operationStartedOn: null, asOf: today },
      policy,
    ),
  );
  return decision.outcome.revoke
    ? [revoked(state.centerId, today, 'A17.3a', 'not-operating-within-deadline', decision)]
    : [];
}
