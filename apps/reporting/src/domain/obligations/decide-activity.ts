import { ACTIVITY_TYPES_V1, ReportingEventTypes as T } from '@nqpf/contracts';
import { requireCount, requireDate, requireOneOf, requireSha256, requireText } from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';

/** A6.5: one activity, counted in its calendar year (the annual assessment shows the count). */
export function logActivity(
  c: Extract<ObligationsCommand, { kind: 'log-activity' }>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'log activity');
  // The service mints the id (uuidv7) and Idempotency-Key answers a retried request with its first
  // result, so the state keeps no ids to compare against (they cost a copy per activity).
  const activityId = requireText('activityId', c.activityId, 100);
  const today = requireDate('today', c.today);
  const heldOn = requireDate('heldOn', c.heldOn);
  requireNotBefore('heldOn', heldOn, state.recognizedOn, 'the recognition date');
  requireNotAfter('heldOn', heldOn, today, 'today');
  const year = Number(heldOn.slice(0, 4));
  return [
    {
      type: T.ActivityLogged,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        activityId,
        type: requireOneOf('type', c.type, ACTIVITY_TYPES_V1),
        heldOn,
        title: requireText('title', c.title, 300),
        participants: requireCount('participants', c.participants),
        evidenceHash: requireSha256('evidenceHash', c.evidenceHash),
        yearCount: (state.activitiesByYear[year] ?? 0) + 1,
      },
    },
  ];
}
