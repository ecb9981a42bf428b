import { AssessmentEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import {
  addDays,
  decideOperatingDeadline,
  OperatingDeadlineInputs,
  Policy,
  supportYearCalendarYear,
} from '@nqpf/rules';
import { requireDate, requireText, underRules } from '@nqpf/domain';
import { requireRecognitionPolicy, requireTracked } from './guards';
import { revoked } from './revocation';
import { CenterCommand, CenterEvent, CenterState, TrackedCenter } from './center.types';

type Cmd<K> = Extract<CenterCommand, { kind: K }>;

/**
 * CenterRecognized: follow the center, with its A17.3a operating deadline (recognition + 2 years, inclusive)
 * and its A12.1 support years, both under the policy in force on the recognition date, recorded with it.
 */
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
        supportYears: Array.from({ length: c.policy.supportYears }, (_, i) => ({
          supportYear: i + 1,
          calendarYear: supportYearCalendarYear(recognizedOn, i + 1),
        })),
      },
    },
  ];
}

/** A17.3a under the policy recorded at recognition: its deadline is the one stored then. */
function deadlineDecision(state: TrackedCenter, inputs: Partial<OperatingDeadlineInputs>, policy: Policy) {
  return underRules(() =>
    decideOperatingDeadline(
      { recognizedOn: state.recognizedOn, ...inputs },
      requireRecognitionPolicy(state, policy),
    ),
  );
}

/**
 * reporting.operation-started: a start after the deadline revokes (A17.3a) from the day after the deadline,
 * the date a center that never started gets, whichever of the two facts comes first; after revocation,
 * nothing.
 */
export function recordOperationStart(c: Cmd<'record-operation-start'>, s: CenterState): CenterEvent[] {
  const state = requireTracked(s);
  if (state.revocation || state.startedOn !== null) return [];
  const startedOn = requireDate('startedOn', c.startedOn);
  requireDate('confirmedOn', c.confirmedOn); // the fact's own, checked though the date of revocation does not depend on it
  if (startedOn < state.recognizedOn)
    throw new InvalidInputError(
      'startedOn',
      `must not be before recognition (${state.recognizedOn}), got ${startedOn}`,
    );
  const decision = deadlineDecision(state, { operationStartedOn: startedOn }, c.policy);
  const events: CenterEvent[] = [
    {
      type: T.OperationStartRecorded,
      schemaVersion: 1,
      payload: { centerId: state.centerId, startedOn, decision },
    },
  ];
  if (decision.outcome.revoke)
    events.push(
      revoked(
        state.centerId,
        addDays(state.operatingDeadline, 1),
        'A17.3a',
        'not-operating-within-deadline',
        decision,
      ),
    );
  return events;
}

/**
 * reporting.operating-deadline-passed: reporting, which holds every declared, rejected and confirmed start
 * on the center's stream, recorded that the stored deadline ended with no start in time (a start declared
 * in time and awaiting the district office holds it back until the office rules). Revoked (A17.3a) from the
 * day after the deadline, the day the condition became true — however late reporting recorded it: it waits
 * until a start made by the deadline can no longer be declared (`startDeclarationsCloseOn`, the deadline +
 * the recognition policy's operationStartDeclarationDays), and its timer may lag — or, when a start declared
 * in time was rejected after declarations closed, on the rejection day, when it became known. The fact
 * comes after the start events of the center, so no start in time can still be on its way.
 */
export function actOnOperatingDeadlinePassed(
  c: Cmd<'act-on-operating-deadline-passed'>,
  s: CenterState,
): CenterEvent[] {
  const state = requireTracked(s);
  if (state.revocation) return [];
  const passedOn = requireDate('passedOn', c.passedOn);
  if (requireDate('operatingDeadline', c.operatingDeadline) !== state.operatingDeadline)
    throw new RuleViolationError(
      'A17.3',
      `the operating deadline reporting stored (${c.operatingDeadline}) is not the one recorded at recognition (${state.operatingDeadline})`,
    );
  if (state.startedOn !== null && state.startedOn <= state.operatingDeadline) return [];
  const decision = deadlineDecision(state, { operationStartedOn: null, asOf: passedOn }, c.policy);
  const revokedOn = c.cause === 'deadline' ? addDays(state.operatingDeadline, 1) : passedOn;
  return decision.outcome.revoke
    ? [revoked(state.centerId, revokedOn, 'A17.3a', 'not-operating-within-deadline', decision)]
    : [];
}
