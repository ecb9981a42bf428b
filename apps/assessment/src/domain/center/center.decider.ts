import { Decider } from '@nqpf/domain';
import { assess } from './decide-assess';
import { actOnMajorChange } from './decide-major-change';
import { actOnOperatingDeadlinePassed, recordOperationStart, track } from './decide-operation';
import { evolve } from './center.evolve';
import { CenterCommand, CenterEvent, CenterState } from './center.types';

function decide(command: CenterCommand, state: CenterState): CenterEvent[] {
  switch (command.kind) {
    case 'track':
      return track(command, state);
    case 'record-operation-start':
      return recordOperationStart(command, state);
    case 'act-on-operating-deadline-passed':
      return actOnOperatingDeadlinePassed(command, state);
    case 'assess':
      return assess(command, state);
    case 'act-on-major-change':
      return actOnMajorChange(command, state);
  }
}

/** A16, A17: a recognised center's annual assessments and its revocation, which is final. */
export const centerDecider: Decider<CenterCommand, CenterEvent, CenterState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
};
