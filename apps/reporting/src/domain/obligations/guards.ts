import { IllegalTransitionError, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { OpenObligations, ObligationsState } from './obligations.types';

/** Commands act only on a recognised center that is not revoked; revocation is final (A16, A17.3). */
export function requireActive(state: ObligationsState, action: string): OpenObligations {
  if (state.status === 'none') throw new NotFoundError('recognised center');
  if (state.status === 'ended')
    throw new IllegalTransitionError(
      `center revoked on ${state.ended!.endedOn} (${state.ended!.ruleId}); recognition is revoked for good`,
      action,
    );
  return state;
}

export function requireNotBefore(field: string, date: string, earliest: string, what: string): void {
  if (date < earliest)
    throw new InvalidInputError(field, `must not be before ${what} (${earliest}), got ${date}`);
}

export function requireNotAfter(field: string, date: string, latest: string, what: string): void {
  if (date > latest) throw new InvalidInputError(field, `must not be after ${what} (${latest}), got ${date}`);
}
