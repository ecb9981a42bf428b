import { CallClosedV1, CallOpenedV1, IntakeEventTypes } from '@nqpf/contracts';
import {
  Decider,
  DomainEvent,
  IllegalTransitionError,
  InvalidInputError,
  NotFoundError,
  requireDate,
  requireText,
} from '@nqpf/domain';
import { isBlankText } from '@nqpf/rules';

export type CallEvent =
  | DomainEvent<typeof IntakeEventTypes.CallOpened, CallOpenedV1>
  | DomainEvent<typeof IntakeEventTypes.CallClosed, CallClosedV1>;

export type CallCommand =
  | { kind: 'open'; callId: string; year: number; opensOn: string; closesOn: string; today: string }
  | { kind: 'close'; callId: string; closedOn: string; reason?: string };

export type CallState =
  | { status: 'none' }
  | { status: 'open' | 'closed'; callId: string; year: number; opensOn: string; closesOn: string };

function decide(command: CallCommand, state: CallState): CallEvent[] {
  switch (command.kind) {
    case 'open': {
      if (state.status !== 'none') throw new IllegalTransitionError(`call ${state.status}`, 'open call');
      if (!Number.isInteger(command.year) || command.year < 2000 || command.year > 2100)
        throw new InvalidInputError('year', 'must be a year between 2000 and 2100');
      requireDate('opensOn', command.opensOn);
      requireDate('closesOn', command.closesOn);
      if (command.closesOn < command.opensOn)
        throw new InvalidInputError('closesOn', 'must not be before opensOn');
      // A notice whose window has already ended invites nobody (A7): it would only put a call in the record
      // that was never open. One announced earlier may still be recorded while it runs.
      if (command.closesOn < command.today)
        throw new InvalidInputError(
          'closesOn',
          `A7: a call's window must not have ended already (today is ${command.today}), got ${command.closesOn}`,
        );
      // A7 calls are yearly: a window may start the year before (a winter call) and run into the next.
      const [from, to] = [`${command.year - 1}-01-01`, `${command.year + 1}-12-31`];
      for (const field of ['opensOn', 'closesOn'] as const)
        if (command[field] < from || command[field] > to)
          throw new InvalidInputError(
            field,
            `must lie between ${from} and ${to} for a call of ${command.year} (A7: a yearly call), got ${command[field]}`,
          );
      const { callId, year, opensOn, closesOn } = command;
      return [
        { type: IntakeEventTypes.CallOpened, schemaVersion: 1, payload: { callId, year, opensOn, closesOn } },
      ];
    }
    case 'close': {
      if (state.status === 'none') throw new NotFoundError('call');
      if (state.status !== 'open') throw new IllegalTransitionError(`call ${state.status}`, 'close call');
      requireDate('closedOn', command.closedOn);
      // Closed on or before its last day, the call turns away applicants its notice still invites (A7):
      // the bureau says why. Closed after the window, it is a formality.
      const early = command.closedOn <= state.closesOn;
      if (early && (command.reason === undefined || isBlankText(command.reason)))
        throw new InvalidInputError(
          'reason',
          `A7: closing the call before its window ends (closesOn ${state.closesOn}) needs a reason`,
        );
      const reason = command.reason === undefined ? {} : { reason: requireText('reason', command.reason) };
      return [
        {
          type: IntakeEventTypes.CallClosed,
          schemaVersion: 1,
          payload: { callId: command.callId, closedOn: command.closedOn, ...reason },
        },
      ];
    }
  }
}

function evolve(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case IntakeEventTypes.CallOpened:
      return { status: 'open', ...event.payload };
    case IntakeEventTypes.CallClosed:
      return state.status === 'none' ? state : { ...state, status: 'closed' };
  }
}

/** A7: a call for applications, opened and closed by the city bureau. */
export const callDecider: Decider<CallCommand, CallEvent, CallState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: { [IntakeEventTypes.CallOpened]: true, [IntakeEventTypes.CallClosed]: true },
};
