import { IllegalTransitionError, NotFoundError } from '@nqpf/domain';
import { Candidacy, CandidacyState, CandidacyStatus } from './candidacy.state';

export function illegal(state: CandidacyState, action: string): IllegalTransitionError {
  return new IllegalTransitionError(`candidacy ${state.status}`, action);
}

/** The candidacy, if in a state the action is allowed in; else 409 naming both (404 when there is none). */
export function existing(state: CandidacyState, allowed: CandidacyStatus[], action: string): Candidacy {
  if (state.status === 'none') throw new NotFoundError('candidacy');
  if (!allowed.includes(state.status)) throw illegal(state, action);
  return state;
}
