import {
  AnnualGrantRevisedV1,
  CancellationReducedV1,
  DisbursementRecordedV1,
  EntryReversedV1,
  ExpenditureAcceptedV1,
  ExpenditureRejectedV1,
  FinanceEventTypes as T,
  GrantCancelledV1,
  GrantDecidedV1,
  SubsidyAccountOpenedV1,
  SupportStoppedV1,
  Year1ApprovalRevisedV1,
  Year1CostsApprovedV1,
  Year1CostsDeclaredV1,
} from '@nqpf/contracts';
import { DomainEvent } from '@nqpf/domain';

export type SubsidyAccountEvent =
  | DomainEvent<typeof T.SubsidyAccountOpened, SubsidyAccountOpenedV1>
  | DomainEvent<typeof T.Year1CostsDeclared, Year1CostsDeclaredV1>
  | DomainEvent<typeof T.Year1CostsApproved, Year1CostsApprovedV1>
  | DomainEvent<typeof T.Year1ApprovalRevised, Year1ApprovalRevisedV1>
  | DomainEvent<typeof T.AnnualGrantRevised, AnnualGrantRevisedV1>
  | DomainEvent<typeof T.GrantDecided, GrantDecidedV1>
  | DomainEvent<typeof T.SupportStopped, SupportStoppedV1>
  | DomainEvent<typeof T.GrantCancelled, GrantCancelledV1>
  | DomainEvent<typeof T.CancellationReduced, CancellationReducedV1>
  | DomainEvent<typeof T.DisbursementRecorded, DisbursementRecordedV1>
  | DomainEvent<typeof T.ExpenditureAccepted, ExpenditureAcceptedV1>
  | DomainEvent<typeof T.ExpenditureRejected, ExpenditureRejectedV1>
  | DomainEvent<typeof T.EntryReversed, EntryReversedV1>;

type PayloadOf<K extends SubsidyAccountEvent['type']> = Extract<SubsidyAccountEvent, { type: K }>['payload'];

/** Builds a version-1 event; keeps decide() readable. */
export function event<K extends SubsidyAccountEvent['type']>(
  type: K,
  payload: PayloadOf<K>,
): SubsidyAccountEvent {
  return { type, schemaVersion: 1, payload } as SubsidyAccountEvent;
}

/** One stream per center's subsidy account; the center id is the application id for life. */
export const subsidyAccountStream = (centerId: string): string => `subsidy-account-${centerId}`;
