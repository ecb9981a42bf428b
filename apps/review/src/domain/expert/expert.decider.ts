import { ExpertConflictDeclaredV1, ExpertRegisteredV1, ReviewEventTypes } from '@nqpf/contracts';
import {
  Decider,
  DomainEvent,
  IllegalTransitionError,
  InvalidInputError,
  requireInstant,
} from '@nqpf/domain';
import { isValidCreditCode, normaliseCreditCode, Party, sameParty } from '@nqpf/rules';
import { NotFoundError, requireArray, requireName, requireText } from '@nqpf/domain';

export type ExpertEvent =
  | DomainEvent<typeof ReviewEventTypes.ExpertRegistered, ExpertRegisteredV1>
  | DomainEvent<typeof ReviewEventTypes.ExpertConflictDeclared, ExpertConflictDeclaredV1>;

export type ExpertCommand =
  | { kind: 'register'; expertId: string; name: string; specialties: string[]; at: string }
  | {
      kind: 'declare-conflict';
      institution: { name: string; creditCode?: string };
      reason: string;
      at: string;
    };

export type ExpertState =
  | { status: 'none' }
  | {
      status: 'registered';
      expertId: string;
      name: string;
      specialties: string[];
      conflicts: Party[];
    };

function readInstitution(raw: { name: string; creditCode?: string }): Party {
  const name = requireName('institution.name', raw?.name, 200);
  if (raw.creditCode === undefined || raw.creditCode === '') return { name };
  const creditCode = normaliseCreditCode(String(raw.creditCode));
  if (!isValidCreditCode(creditCode))
    throw new InvalidInputError(
      'institution.creditCode',
      `'${raw.creditCode}' is not a valid unified social credit code`,
    );
  return { name, creditCode };
}

function decide(command: ExpertCommand, state: ExpertState): ExpertEvent[] {
  switch (command.kind) {
    case 'register': {
      if (state.status !== 'none')
        throw new IllegalTransitionError(`expert ${state.status}`, 'register expert');
      // The id is the expert's sign-in subject and names their stream: trimmed here, it would name another.
      if (requireText('expertId', command.expertId, 100) !== command.expertId)
        throw new InvalidInputError(
          'expertId',
          'must not begin or end with spaces: it is the sign-in subject',
        );
      return [
        {
          type: ReviewEventTypes.ExpertRegistered,
          schemaVersion: 1,
          payload: {
            expertId: requireText('expertId', command.expertId, 100),
            name: requireName('name', command.name, 200),
            specialties: requireArray('specialties', command.specialties).map((s, i) =>
              requireText(`specialties[${i}]`, s, 100),
            ),
            registeredAt: requireInstant('at', command.at),
          },
        },
      ];
    }
    case 'declare-conflict': {
      if (state.status === 'none') throw new NotFoundError('expert');
      const institution = readInstitution(command.institution);
      if (state.conflicts.some((c) => sameParty(c, institution)))
        throw new IllegalTransitionError(
          `conflict with ${institution.name} already declared`,
          'declare conflict',
        );
      return [
        {
          type: ReviewEventTypes.ExpertConflictDeclared,
          schemaVersion: 1,
          payload: {
            expertId: state.expertId,
            institution,
            reason: requireText('reason', command.reason),
            declaredAt: requireInstant('at', command.at),
          },
        },
      ];
    }
  }
}

function evolve(state: ExpertState, event: ExpertEvent): ExpertState {
  switch (event.type) {
    case ReviewEventTypes.ExpertRegistered: {
      const { expertId, name, specialties } = event.payload;
      return { status: 'registered', expertId, name, specialties, conflicts: [] };
    }
    case ReviewEventTypes.ExpertConflictDeclared:
      return state.status === 'none'
        ? state
        : { ...state, conflicts: [...state.conflicts, event.payload.institution] };
  }
}

/** A9.1: an expert's profile and the institutions they declare a conflict of interest with. */
export const expertDecider: Decider<ExpertCommand, ExpertEvent, ExpertState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: { [ReviewEventTypes.ExpertRegistered]: true, [ReviewEventTypes.ExpertConflictDeclared]: true },
};
