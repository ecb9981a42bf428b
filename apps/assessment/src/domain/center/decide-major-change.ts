import { IllegalTransitionError } from '@nqpf/domain';
import { requireDate, requireText } from '@nqpf/domain';
import { requireTracked } from './guards';
import { revoked } from './revocation';
import { CenterCommand, CenterEvent, CenterState } from './center.types';

/**
 * reporting.major-change-evaluated: "no longer eligible" revokes (A16) with the re-check decision, on the
 * day of the re-check; "still eligible" changes nothing, nor does any change after revocation.
 */
export function actOnMajorChange(
  c: Extract<CenterCommand, { kind: 'act-on-major-change' }>,
  s: CenterState,
): CenterEvent[] {
  const state = requireTracked(s);
  requireText('changeId', c.changeId, 100);
  const evaluatedOn = requireDate('evaluatedOn', c.evaluatedOn);
  if (state.revocation || c.stillEligible) return [];
  if (!c.decision || !Array.isArray(c.decision.reasons))
    throw new IllegalTransitionError('major change evaluated without a decision', 'revoke for major change');
  return [revoked(state.centerId, evaluatedOn, 'A16', 'no-longer-eligible-after-major-change', c.decision)];
}
