/** Events published on nqpf.intake.events. Wire names and versions are stable; see docs/contracts. */
export const IntakeEventTypes = {
  CallOpened: 'intake.call-opened',
  CallClosed: 'intake.call-closed',
  ApplicationDrafted: 'intake.application-drafted',
  ApplicationAmended: 'intake.application-amended',
  ApplicationSubmitted: 'intake.application-submitted',
  ApplicationEndorsed: 'intake.application-endorsed',
  ApplicationReturnedByDistrict: 'intake.application-returned-by-district',
  ApplicationReturnedForSupplement: 'intake.application-returned-for-supplement',
  ApplicationAccepted: 'intake.application-accepted',
} as const;

/** v1. A7: the bureau opens a call for a year with an open and a close date (Asia/Shanghai calendar dates). */
export interface CallOpenedV1 {
  callId: string;
  year: number;
  opensOn: string;
  closesOn: string;
}

/** v1. The bureau closed a call before or at its close date. */
export interface CallClosedV1 {
  callId: string;
  closedOn: string;
  /** Why the bureau closed the call before its window ended (A7); absent on a call closed after it. */
  reason?: string;
}

// ---- Shared shapes (used by intake and review payloads) ----

/** One rule checked, as libs/rules records it. */
export interface DecisionReasonV1 {
  ruleId: string;
  criterion: string;
  measured: unknown;
  threshold: unknown;
  passed: boolean;
  message: { zh: string; en: string };
}

/** An automated decision as libs/rules records it: enough to replay and to explain it. */
export interface DecisionRecordV1<I = unknown, O = unknown> {
  rule: string;
  rulesetVersion: string;
  policyVersion: string;
  calendarVersion?: string;
  inputs: I;
  outcome: O;
  reasons: DecisionReasonV1[];
}

/** A6.3 institution kinds ('other' is recorded but not counted). */
export type InstitutionKindV1 =
  'university' | 'research_institute' | 'enterprise' | 'st_service_org' | 'other';
/** A6.3 strategic cooperation partner level. */
export type CooperationLevelV1 = 'national' | 'province' | 'city' | 'district';
/** A8 material kinds. */
export type MaterialKindV1 = 'application_form' | 'construction_plan' | 'co_construction_agreement' | 'other';

/**
 * The art. 6 facts an operator declares, in the input shape libs/rules reads (readEligibilityFacts).
 * Services and functions are codes (technology_trading…, display…); further ones (等) may be added.
 */
export interface ApplicationFactsV1 {
  /** A6.1 total building area, m², decimal string with up to two places, e.g. "5000.00". */
  premises: { buildingAreaM2: string };
  /** A6.2 transfer services offered. */
  services: string[];
  /** A6.2 functions present. */
  functions: string[];
  /** A3 descriptive function tags (产业创新赋能…); recorded, never checked. */
  functionTags?: string[];
  /** A6.3 institutions gathered in the center. */
  institutions: { name: string; kind: InstitutionKindV1; creditCode?: string }[];
  /** A6.3 strategic cooperations on NQPF development. */
  strategicCooperations: { partner: string; level: CooperationLevelV1 }[];
  /** A6.4 operating entity with its unified social credit code. */
  operator: { name: string; creditCode: string };
  /** A6.4 staff in post and how many hold each technology-broker qualification level. */
  team: { staffInPost: number; brokers: { junior: number; intermediate: number; senior: number } };
  /** A6.5 activities held in the 12 months before submission. */
  activities: { count: number; periodFrom: string; periodTo: string };
}

/** A8: a document's metadata and content hash. */
export interface MaterialV1 {
  kind: MaterialKindV1;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** 64 lower-case hexadecimal digits. */
  sha256: string;
}

/** libs/rules decideMaterials outcome. */
export interface MaterialsOutcomeV1 {
  complete: boolean;
  missing: MaterialKindV1[];
}

// ---- Application (A8); stream id = application id = center id ----

/** v1. An operator started an application for one center under a call. */
export interface ApplicationDraftedV1 {
  applicationId: string;
  callId: string;
  /** The operator's account that drafted the application (a record; the `center_id` claim decides access). */
  operatorAccountId: string;
  /** A3 district-level unit. */
  district: string;
  facts: ApplicationFactsV1;
  materials: MaterialV1[];
}

/** v1. The operator changed facts and/or materials (in draft or after a return). Absent fields are unchanged. */
export interface ApplicationAmendedV1 {
  applicationId: string;
  facts?: ApplicationFactsV1;
  materials?: MaterialV1[];
  /** In a draft, or after a return by the district office before any endorsement (A3: never silently). */
  district?: string;
}

/** v1. Submitted (or resubmitted) to the district office; `revision` counts submissions from 1. */
export interface ApplicationSubmittedV1 {
  applicationId: string;
  callId: string;
  district: string;
  revision: number;
  submittedAt: string;
  facts: ApplicationFactsV1;
  materials: MaterialV1[];
}

/** v1. The district office endorsed and forwarded the application to the bureau. */
export interface ApplicationEndorsedV1 {
  applicationId: string;
  district: string;
  revision: number;
  endorsedAt: string;
  opinion?: string;
}

/** v1. The district office returned the application to the operator, with reasons. */
export interface ApplicationReturnedByDistrictV1 {
  applicationId: string;
  district: string;
  revision: number;
  returnedAt: string;
  reasons: string[];
}

/**
 * v1. The bureau returned the application for supplement (A8: not a rejection). `missing` names the
 * required material kinds absent; `materialsDecision` is present when the return came from the A8 check.
 */
export interface ApplicationReturnedForSupplementV1 {
  applicationId: string;
  revision: number;
  returnedAt: string;
  missing: MaterialKindV1[];
  reasons: string[];
  materialsDecision?: DecisionRecordV1<{ materials: MaterialV1[] }, MaterialsOutcomeV1>;
}

/** v1. The bureau accepted the application (materials complete); carries everything review needs. */
export interface ApplicationAcceptedV1 {
  applicationId: string;
  callId: string;
  operatorAccountId: string;
  district: string;
  revision: number;
  acceptedAt: string;
  facts: ApplicationFactsV1;
  materials: MaterialV1[];
  materialsDecision: DecisionRecordV1<{ materials: MaterialV1[] }, MaterialsOutcomeV1>;
}
