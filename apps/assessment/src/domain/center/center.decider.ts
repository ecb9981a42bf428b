import { AssessmentEventTypes as T } from '@nqpf/contracts';
import { Decider } from '@nqpf/domain';
import { assess } from './decide-assess';
import { actOnMajorChange } from './decide-major-change';
import { actOnOperatingDeadlinePassed, recordOperationStart, track } from './decide-operation';
import { reviseAssessment } from './decide-revise';
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
    case 'revise-assessment':
      return reviseAssessment(command, state);
    case 'act-on-major-change':
      return actOnMajorChange(command, state);
  }
}

/** A16, A17: a recognised center's annual assessments and its revocation, which is final. */
export const centerDecider: Decider<CenterCommand, CenterEvent, CenterState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: {
    [T.CenterTracked]: true,
    [T.OperationStartRecorded]: true,
    [T.AssessmentCompleted]: true,
    [T.AssessmentRevised]: true,
    [T.CenterRevoked]: true,
  },
};
