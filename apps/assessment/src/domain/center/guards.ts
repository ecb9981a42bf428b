import { IllegalTransitionError, NotFoundError, RuleViolationError } from '@nqpf/domain';
import type { Policy } from '@nqpf/rules';
import { CenterState, TrackedCenter } from './center.types';

export function requireTracked(state: CenterState): TrackedCenter {
  if (state.status === 'none') throw new NotFoundError('recognised center');
  return state;
}

/** Revocation is final (A16, A17.3): later commands are refused; reads stay open. */
export function requireNotRevoked(state: CenterState, action: string): TrackedCenter {
  const center = requireTracked(state);
  if (center.revocation)
    throw new IllegalTransitionError(
      `center revoked on ${center.revocation.revokedOn} (${center.revocation.ruleId}); recognition is revoked for good`,
      action,
    );
  return center;
}

/**
 * A17.3a and the A12.1 schedule are decided under the policy version recorded at recognition (the one in
 * force on the recognition date), never under a later one: a command brings that version or is refused.
 */
export function requireRecognitionPolicy(center: TrackedCenter, policy: Policy): Policy {
  if (policy.version !== center.policyVersion)
    throw new RuleViolationError(
      'A17.3',
      `decided under the policy recorded at recognition (${center.policyVersion}), not ${policy.version}`,
      { policyVersion: center.policyVersion },
    );
  return policy;
}
