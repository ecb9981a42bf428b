import { ReviewEventTypes as T } from '@nqpf/contracts';
import { Decider } from '@nqpf/domain';
import { shanghaiDateOf, shanghaiToday } from '@nqpf/rules';
import type { CandidacyCommand } from './candidacy.commands';
import type { CandidacyEvent } from './candidacy.events';
import { type Candidacy, type CandidacyState, objectionKey, refusedLetterKey } from './candidacy.state';
import {
  endPublicity,
  investigateObjection,
  raiseObjection,
  ruleOnObjection,
  signAgreement,
  startPublicity,
} from './decide-publicity';
import {
  assignExpert,
  decideListing,
  open,
  recordReview,
  recordSiteInspection,
  reviseReview,
  reviseSiteInspection,
  unassignExpert,
} from './decide-review';

function decide(command: CandidacyCommand, state: CandidacyState): CandidacyEvent[] {
  switch (command.kind) {
    case 'open':
      return open(command, state);
    case 'assign-expert':
      return assignExpert(command, state);
    case 'unassign-expert':
      return unassignExpert(command, state);
    case 'record-review':
      return recordReview(command, state);
    case 'record-site-inspection':
      return recordSiteInspection(command, state);
    case 'revise-review':
      return reviseReview(command, state);
    case 'revise-site-inspection':
      return reviseSiteInspection(command, state);
    case 'decide-listing':
      return decideListing(command, state);
    case 'start-publicity':
      return startPublicity(command, state);
    case 'raise-objection':
      return raiseObjection(command, state);
    case 'investigate-objection':
      return investigateObjection(command, state);
    case 'rule-on-objection':
      return ruleOnObjection(command, state);
    case 'end-publicity':
      return endPublicity(command, state);
    case 'sign-agreement':
      return signAgreement(command, state);
  }
}

function evolve(state: CandidacyState, event: CandidacyEvent): CandidacyState {
  if (event.type === T.CandidacyOpened) {
    const { applicationId, callId, district, operatorAccountId, facts, materials, acceptedAt } =
      event.payload;
    return {
      status: 'opened',
      applicationId,
      callId,
      district,
      operatorAccountId,
      facts,
      materials,
      acceptedOn: shanghaiToday(new Date(acceptedAt)),
      experts: [],
      assignedOn: {},
      reviews: [],
      inspections: [],
      objections: {},
      objectionKeys: {},
      refusedLetterKeys: {},
      signatures: {},
    };
  }
  if (state.status === 'none') return state;
  return evolveExisting(state, event);
}

function evolveExisting(s: Candidacy, event: CandidacyEvent): Candidacy {
  switch (event.type) {
    case T.CandidacyOpened:
      return s;
    case T.EligibilityDecided:
      return event.payload.eligible ? { ...s, status: 'eligible' } : s;
    case T.ApplicationRejected: {
      const { stage, ruleIds, reasons } = event.payload;
      return { ...s, status: 'rejected', rejection: { stage, ruleIds, reasons } };
    }
    case T.ExpertAssigned: {
      const { expertId, assignedAt } = event.payload;
      return {
        ...s,
        experts: [...s.experts, expertId],
        assignedOn: { ...s.assignedOn, [expertId]: shanghaiDateOf(assignedAt, 'assignedAt') },
      };
    }
    case T.ExpertUnassigned: {
      // Their review and inspection no longer count, also if the bureau assigns them again (who may then
      // review anew). An expert still assigned corrects their own with a revision instead.
      const gone = event.payload.expertId;
      const { [gone]: _dropped, ...assignedOn } = s.assignedOn;
      return {
        ...s,
        experts: s.experts.filter((id) => id !== gone),
        assignedOn,
        reviews: s.reviews.filter((r) => r.expertId !== gone),
        inspections: s.inspections.filter((i) => i.expertId !== gone),
      };
    }
    case T.ExpertReviewRecorded: {
      const { expertId, score, opinion } = event.payload;
      return { ...s, reviews: [...s.reviews, { expertId, score, opinion }] };
    }
    case T.SiteInspectionRecorded: {
      const { expertId, satisfactory, inspectedOn, finding } = event.payload;
      return { ...s, inspections: [...s.inspections, { expertId, satisfactory, inspectedOn, finding }] };
    }
    case T.ExpertReviewRevised: {
      const { expertId, score, opinion } = event.payload;
      const reviews = s.reviews.map((r) => (r.expertId === expertId ? { expertId, score, opinion } : r));
      return { ...s, reviews };
    }
    case T.SiteInspectionRevised: {
      const { expertId, satisfactory, inspectedOn, finding } = event.payload;
      const inspections = s.inspections.map((i) =>
        i.expertId === expertId ? { expertId, satisfactory, inspectedOn, finding } : i,
      );
      return { ...s, inspections };
    }
    case T.CandidacyListed:
      return { ...s, status: 'listed', listId: event.payload.listId };
    case T.CandidacyNotListed:
      return { ...s, status: 'not-listed', listId: event.payload.listId };
    case T.PublicityStarted: {
      const { publishedOn, lastDay, endsAt, calendarVersion, decision } = event.payload;
      const publicity = {
        publishedOn,
        lastDay,
        endsAt,
        calendarVersion,
        policyVersion: decision.policyVersion,
      };
      return { ...s, status: 'in-publicity', publicity };
    }
    case T.ObjectionRaised: {
      const { objectionId, objector, content } = event.payload;
      const key = objectionKey(objector.name, objector.contact, content);
      return {
        ...s,
        objections: { ...s.objections, [objectionId]: 'raised' },
        objectionKeys: { ...s.objectionKeys, [key]: s.objectionKeys[key] ?? objectionId },
      };
    }
    case T.ObjectionRefused: {
      const { objectionId, objector, content, receivedAt } = event.payload;
      const key = refusedLetterKey(objector, content, receivedAt);
      return {
        ...s,
        objections: { ...s.objections, [objectionId]: 'refused' },
        refusedLetterKeys: { ...s.refusedLetterKeys, [key]: s.refusedLetterKeys[key] ?? objectionId },
      };
    }
    case T.ObjectionInvestigationStarted:
      return { ...s, objections: { ...s.objections, [event.payload.objectionId]: 'investigating' } };
    case T.ObjectionUpheld:
      return { ...s, objections: { ...s.objections, [event.payload.objectionId]: 'upheld' } };
    case T.ObjectionDismissed:
      return { ...s, objections: { ...s.objections, [event.payload.objectionId]: 'dismissed' } };
    case T.PublicityEnded:
      return { ...s, status: 'publicity-ended' };
    case T.AgreementSigned:
      return { ...s, signatures: { ...s.signatures, [event.payload.party]: event.payload.signedOn } };
    case T.CenterRecognized:
      return { ...s, status: 'recognized', recognitionDate: event.payload.recognitionDate };
  }
}

/**
 * A6, A9: one candidacy per accepted application (stream id = application id = center id), from the
 * eligibility decision through expert review, the list, publicity and objections to recognition.
 */
export const candidacyDecider: Decider<CandidacyCommand, CandidacyEvent, CandidacyState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: {
    [T.CandidacyOpened]: true,
    [T.EligibilityDecided]: true,
    [T.ApplicationRejected]: true,
    [T.ExpertAssigned]: true,
    [T.ExpertUnassigned]: true,
    [T.ExpertReviewRecorded]: true,
    [T.SiteInspectionRecorded]: true,
    [T.ExpertReviewRevised]: true,
    [T.SiteInspectionRevised]: true,
    [T.CandidacyListed]: true,
    [T.CandidacyNotListed]: true,
    [T.PublicityStarted]: true,
    [T.ObjectionRaised]: true,
    [T.ObjectionRefused]: true,
    [T.ObjectionInvestigationStarted]: true,
    [T.ObjectionUpheld]: true,
    [T.ObjectionDismissed]: true,
    [T.PublicityEnded]: true,
    [T.AgreementSigned]: true,
    [T.CenterRecognized]: true,
  },
};
