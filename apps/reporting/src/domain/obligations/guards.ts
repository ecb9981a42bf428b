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

/** A date refused names its field and the article whose dates it is (e.g. A16 for a change's effective day). */
export function requireNotBefore(
  field: string,
  date: string,
  earliest: string,
  what: string,
  rule: string,
): void {
  if (date < earliest)
    throw new InvalidInputError(field, `${rule}: must not be before ${what} (${earliest}), got ${date}`);
}

export function requireNotAfter(
  field: string,
  date: string,
  latest: string,
  what: string,
  rule: string,
): void {
  if (date > latest)
    throw new InvalidInputError(field, `${rule}: must not be after ${what} (${latest}), got ${date}`);
}
