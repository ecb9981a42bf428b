import { AssessmentEventTypes as T, CenterRevokedV1, DecisionRecordV1 } from '@nqpf/contracts';
import { CenterEvent } from './center.types';

/** CenterRevoked, explained by the first reason of the decision that required it. */
export function revoked(
  centerId: string,
  revokedOn: string,
  ruleId: CenterRevokedV1['ruleId'],
  reason: CenterRevokedV1['reason'],
  decision: DecisionRecordV1,
): CenterEvent {
  const first = decision.reasons[0];
  return {
    type: T.CenterRevoked,
    schemaVersion: 1,
    payload: {
      centerId,
      revokedOn,
      ruleId,
      reason,
      explanation: first ? first.message : { zh: reason, en: reason },
      decision,
    },
  };
}
