import { AssessmentEventTypes as T } from '@nqpf/contracts';
import { CenterEvent, CenterState } from './center.types';

export function evolve(state: CenterState, event: CenterEvent): CenterState {
  if (event.type === T.CenterTracked) {
    const p = event.payload;
    return {
      status: 'recognised',
      centerId: p.centerId,
      district: p.district,
      operatorId: p.operatorId,
      recognizedOn: p.recognizedOn,
      policyVersion: p.policyVersion,
      operatingDeadline: p.operatingDeadline,
      supportYears: p.supportYears ?? null,
      startedOn: null,
      grades: {},
      assessed: {},
      revocation: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case T.OperationStartRecorded:
      return {
        ...state,
        status: state.status === 'revoked' ? 'revoked' : 'operating',
        startedOn: event.payload.startedOn,
      };
    case T.AssessmentCompleted: {
      const { year, grade, assessedOn, supportYear } = event.payload;
      return {
        ...state,
        grades: { ...state.grades, [year]: grade },
        assessed: { ...state.assessed, [year]: { assessedOn, supportYear } },
      };
    }
    // The corrected grade replaces the one recorded; the assessment's day and support year stay.
    case T.AssessmentRevised:
      return { ...state, grades: { ...state.grades, [event.payload.year]: event.payload.grade } };
    case T.CenterRevoked: {
      const { revokedOn, ruleId, reason } = event.payload;
      return { ...state, status: 'revoked', revocation: { revokedOn, ruleId, reason } };
    }
  }
}
