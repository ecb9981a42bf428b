import {
  AgreementSignedV1,
  ApplicationRejectedV1,
  CandidacyListedV1,
  CandidacyNotListedV1,
  CandidacyOpenedV1,
  CenterRecognizedV1,
  EligibilityDecidedV1,
  ExpertAssignedV1,
  ExpertReviewRecordedV1,
  ExpertReviewRevisedV1,
  ExpertUnassignedV1,
  ObjectionDismissedV1,
  ObjectionInvestigationStartedV1,
  ObjectionRaisedV1,
  ObjectionRefusedV1,
  ObjectionUpheldV1,
  PublicityEndedV1,
  PublicityStartedV1,
  ReviewEventTypes as T,
  SiteInspectionRecordedV1,
  SiteInspectionRevisedV1,
} from '@nqpf/contracts';
import { DomainEvent } from '@nqpf/domain';

export type CandidacyEvent =
  | DomainEvent<typeof T.CandidacyOpened, CandidacyOpenedV1>
  | DomainEvent<typeof T.EligibilityDecided, EligibilityDecidedV1>
  | DomainEvent<typeof T.ApplicationRejected, ApplicationRejectedV1>
  | DomainEvent<typeof T.ExpertAssigned, ExpertAssignedV1>
  | DomainEvent<typeof T.ExpertUnassigned, ExpertUnassignedV1>
  | DomainEvent<typeof T.ExpertReviewRecorded, ExpertReviewRecordedV1>
  | DomainEvent<typeof T.SiteInspectionRecorded, SiteInspectionRecordedV1>
  | DomainEvent<typeof T.ExpertReviewRevised, ExpertReviewRevisedV1>
  | DomainEvent<typeof T.SiteInspectionRevised, SiteInspectionRevisedV1>
  | DomainEvent<typeof T.CandidacyListed, CandidacyListedV1>
  | DomainEvent<typeof T.CandidacyNotListed, CandidacyNotListedV1>
  | DomainEvent<typeof T.PublicityStarted, PublicityStartedV1>
  | DomainEvent<typeof T.ObjectionRaised, ObjectionRaisedV1>
  | DomainEvent<typeof T.ObjectionRefused, ObjectionRefusedV1>
  | DomainEvent<typeof T.ObjectionInvestigationStarted, ObjectionInvestigationStartedV1>
  | DomainEvent<typeof T.ObjectionUpheld, ObjectionUpheldV1>
  | DomainEvent<typeof T.ObjectionDismissed, ObjectionDismissedV1>
  | DomainEvent<typeof T.PublicityEnded, PublicityEndedV1>
  | DomainEvent<typeof T.AgreementSigned, AgreementSignedV1>
  | DomainEvent<typeof T.CenterRecognized, CenterRecognizedV1>;

/** Every candidacy event is version 1 today; the helper keeps the literal type and payload paired. */
export function candidacyEvent<E extends CandidacyEvent>(type: E['type'], payload: E['payload']): E {
  return { type, schemaVersion: 1, payload } as E;
}
