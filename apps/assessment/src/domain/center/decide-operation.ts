import { AssessmentEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import { decideOperatingDeadline } from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireTracked } from './guards';
import { revoked } from './revocation';
import { CenterCommand, CenterEvent, CenterState } from './center.types';

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

/** The stored deadline fired the day after recognition + 2 years: no start recorded by then → revoked (A17.3a). */
export function passOperatingDeadline(c: Cmd<'pass-operating-deadline'>, s: CenterState): CenterEvent[] {
  const state = requireTracked(s, 'pass operating deadline');
  if (state.revocation || state.startedOn !== null) return [];
  const today = requireDate('today', c.today);
  if (today <= state.operatingDeadline)
    throw new RuleViolationError(
      'A17.3',
      `the operating deadline ${state.operatingDeadline} is inclusive and has not passed on ${today}`,
    );
  const decision = underRules(() =>
    decideOperatingDeadline(
      { recognizedOn: state.recognizedOn, operationStartedOn: null, asOf: today },
      c.policy,
    ),
  );
  return decision.outcome.revoke
    ? [revoked(state.centerId, today, 'A17.3a', 'not-operating-within-deadline', decision)]
    : [];
}
