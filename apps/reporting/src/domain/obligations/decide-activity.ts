import { ACTIVITY_TYPES_V1, ReportingEventTypes as T } from '@nqpf/contracts';
import {
  comparableText,
  IllegalTransitionError,
  NotFoundError,
  quotedInput,
  requireCount,
  requireDate,
  requireOneOf,
  requireSha256,
  requireText,
} from '@nqpf/domain';
import { requireActive, requireNotAfter, requireNotBefore } from './guards';
import { ObligationsCommand, ObligationsEvent, ObligationsState, OpenObligations } from './obligations.types';

/**
 * What makes two records one activity: the day it was held and its title (spacing, full-width forms and
 * case aside). Not the id, which the service mints per request (a retry without Idempotency-Key gets a new
 * one), nor the evidence hash, which one document (a month's sign-in sheet) may share between activities.
 */
export function activityKey(heldOn: string, title: string): string {
  return `${heldOn} ${comparableText(title).toLowerCase()}`;
}

/**
 * A6.5: one activity, counted in its calendar year (the annual assessment shows the count). The same
 * activity is counted once: logged again, it is refused (409) naming the first record.
 */
export function logActivity(
  c: Extract<ObligationsCommand, { kind: 'log-activity' }>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'log activity');
  const activityId = requireText('activityId', c.activityId, 100);
  const today = requireDate('today', c.today);
  const heldOn = requireDate('heldOn', c.heldOn);
  requireNotBefore('heldOn', heldOn, state.recognizedOn, 'the recognition date', 'A6.5');
  requireNotAfter('heldOn', heldOn, today, 'today', 'A6.5');
  const title = requireText('title', c.title, 300);
  const first = state.activityKeys[activityKey(heldOn, title)];
  if (first)
    throw new IllegalTransitionError(
      `activity ${first} held on ${heldOn} titled '${quotedInput(title)}' is logged already (A6.5 counts it once)`,
      'log activity',
    );
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
        title,
        participants: requireCount('participants', c.participants),
        evidenceHash: requireSha256('evidenceHash', c.evidenceHash),
        yearCount: (state.activitiesByYear[year] ?? 0) + 1,
      },
    },
  ];
}

/** The key an activity counts under, by its id; undefined once withdrawn. A scan: withdrawals are rare. */
export function activityKeyOf(state: OpenObligations, activityId: string): string | undefined {
  return Object.keys(state.activityKeys).find((key) => state.activityKeys[key] === activityId);
}

/**
 * A6.5: an activity logged by mistake (twice under other words, a wrong record) leaves the count, with the
 * operator's reason, and may be logged again. An assessment already made keeps the count it decided on.
 */
export function withdrawActivity(
  c: Extract<ObligationsCommand, { kind: 'withdraw-activity' }>,
  s: ObligationsState,
): ObligationsEvent[] {
  const state = requireActive(s, 'withdraw activity');
  const activityId = requireText('activityId', c.activityId, 100);
  const key = activityKeyOf(state, activityId);
  if (key === undefined) throw new NotFoundError('activity (logged and not withdrawn)', activityId);
  // The key starts with the day it was held (activityKey).
  const heldOn = key.slice(0, 10);
  const year = Number(heldOn.slice(0, 4));
  return [
    {
      type: T.ActivityWithdrawn,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        activityId,
        heldOn,
        reason: requireText('reason', c.reason, 4000),
        withdrawnOn: requireDate('today', c.today),
        yearCount: (state.activitiesByYear[year] ?? 0) - 1,
      },
    },
  ];
}
