import { IllegalTransitionError } from '@nqpf/domain';
import { CenterState, TrackedCenter } from './center.types';

export function requireTracked(state: CenterState, action: string): TrackedCenter {
  if (state.status === 'none') throw new IllegalTransitionError('center not recognised', action);
  return state;
}

/** Revocation is final (A16, A17.3): later commands are refused; reads stay open. */
export function requireNotRevoked(state: CenterState, action: string): TrackedCenter {
  const center = requireTracked(state, action);
  if (center.revocation)
    throw new IllegalTransitionError(
      `center revoked on ${center.revocation.revokedOn} (${center.revocation.ruleId}); recognition is revoked for good`,
      action,
    );
  return center;
}
