import {
  ApplicationAcceptedV1,
  ApplicationAmendedV1,
  ApplicationDraftedV1,
  ApplicationEndorsedV1,
  ApplicationFactsV1,
  ApplicationReturnedByDistrictV1,
  ApplicationReturnedForSupplementV1,
  ApplicationSubmittedV1,
  DecisionRecordV1,
  IntakeEventTypes,
  MaterialKindV1,
  MaterialsOutcomeV1,
  MaterialV1,
} from '@nqpf/contracts';
import {
  Decider,
  DomainEvent,
  IllegalTransitionError,
  InvalidInputError,
  requireInstant,
  RuleViolationError,
} from '@nqpf/domain';
import { addDays, callTakesSubmissionsOn, shanghaiToday } from '@nqpf/rules';
import type { CallState } from '../call/call.decider';
import { NotFoundError, requireOneOf, requireText } from '@nqpf/domain';
import { DEFAULT_DISTRICT_UNITS, requireDistrictUnit } from '@nqpf/domain';
import { readApplicationFacts } from './application-facts';
import { MATERIAL_KINDS, readMaterials } from './materials';

export type ApplicationEvent =
  | DomainEvent<typeof IntakeEventTypes.ApplicationDrafted, ApplicationDraftedV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationAmended, ApplicationAmendedV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationSubmitted, ApplicationSubmittedV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationEndorsed, ApplicationEndorsedV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationReturnedByDistrict, ApplicationReturnedByDistrictV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationReturnedForSupplement, ApplicationReturnedForSupplementV1>
  | DomainEvent<typeof IntakeEventTypes.ApplicationAccepted, ApplicationAcceptedV1>;

export type MaterialsDecision = DecisionRecordV1<{ materials: MaterialV1[] }, MaterialsOutcomeV1>;

/**
 * Commands carry who acts (operator account, district) for the object-level checks, and the moment
 * (`at`, an instant) — the domain never reads a clock. The call's state is loaded by the handler, the
 * district-level units (reference data, RULES "Actors") come from its configuration.
 */
export type ApplicationCommand =
  | {
      kind: 'draft';
      applicationId: string;
      callId: string;
      call: CallState;
      operatorAccountId: string;
      district: string;
      /** The configured units; the default list of RULES when not given. */
      districtUnits?: readonly string[];
      facts: unknown;
      materials: unknown;
      at: string;
    }
  | {
      kind: 'amend';
      facts?: unknown;
      materials?: unknown;
      district?: string;
      districtUnits?: readonly string[];
    }
  | {
      kind: 'submit';
      call: CallState;
      districtUnits?: readonly string[];
      at: string;
    }
  | { kind: 'endorse'; district: string; at: string; opinion?: string }
  | { kind: 'return-by-district'; district: string; at: string; reasons: string[] }
  /** The bureau's A8 check, decided by libs/rules: complete → accepted, else returned for supplement. */
  | { kind: 'check-materials'; at: string; materialsDecision: MaterialsDecision }
  | { kind: 'return-for-supplement'; at: string; reasons: string[]; missing?: string[] };

export type ApplicationStatus =
  | 'none'
  | 'draft'
  | 'submitted'
  | 'returned-by-district'
  | 'endorsed'
  | 'returned-for-supplement'
  | 'accepted';

export interface ApplicationReturn {
  by: 'district' | 'bureau';
  revision: number;
  at: string;
  reasons: string[];
  missing: MaterialKindV1[];
}

export type ApplicationState =
  | { status: 'none' }
  | {
      status: Exclude<ApplicationStatus, 'none'>;
      applicationId: string;
      callId: string;
      operatorAccountId: string;
      district: string;
      facts: ApplicationFactsV1;
      materials: MaterialV1[];
      /** Submissions so far (0 while a first draft). */
      revision: number;
      returns: ApplicationReturn[];
    };

type Existing = Exclude<ApplicationState, { status: 'none' }>;

const AMENDABLE: ApplicationStatus[] = ['draft', 'returned-by-district', 'returned-for-supplement'];

function event<E extends ApplicationEvent>(type: E['type'], payload: E['payload']): E {
  return { type, schemaVersion: 1, payload } as E;
}

function illegal(state: ApplicationState, action: string): IllegalTransitionError {
  return new IllegalTransitionError(`application ${state.status}`, action);
}

function existing(state: ApplicationState, allowed: ApplicationStatus[], action: string): Existing {
  if (state.status === 'none') throw new NotFoundError('application');
  if (!allowed.includes(state.status)) throw illegal(state, action);
  return state;
}

/**
 * A district office acts on its own district's applications only. Another district's is answered as one
 * that does not exist, before its state is looked at (a 409 would name it): nothing tells it exists.
 */
function actingFor(state: ApplicationState, district: string): void {
  if (state.status !== 'none' && state.district !== district) throw new NotFoundError('application');
}

/**
 * A3/A8: the district-level unit is fixed from the first endorsement on; before it, a return by the district
 * office (say, a center outside its area) lets the operator send the application to the right one, by an
 * amendment that names the new district. Only an endorsed application is returned for supplement, so such a
 * return in its history marks one endorsed before, after its resubmission too.
 */
function endorsedOnce(s: Existing): boolean {
  return (
    s.status === 'endorsed' ||
    s.status === 'accepted' ||
    s.status === 'returned-for-supplement' ||
    s.returns.some((r) => r.by === 'bureau')
  );
}

/** A3: the refusal to move an application endorsed once, naming `district` (422). */
function districtFixed(s: Existing): RuleViolationError {
  return new RuleViolationError(
    'A3',
    `the district-level unit ${s.district} is fixed from the first endorsement on; it can change only in a ` +
      'draft or after a return by the district office before any endorsement',
    { field: 'district', district: s.district },
  );
}

/** A7: applications only while the call is open; the error names the call's window. */
function withinCall(call: CallState, callId: string, at: string, action: string): void {
  const today = shanghaiToday(new Date(at));
  if (call.status === 'none' || call.callId !== callId)
    throw new RuleViolationError('A7', `call ${callId} does not exist`, { callId });
  const window = { callId, opensOn: call.opensOn, closesOn: call.closesOn, status: call.status };
  // A draft may be prepared before the window opens; a submission only inside it.
  const accepted =
    action === 'submit application'
      ? callTakesSubmissionsOn(call, today)
      : call.status === 'open' && today <= call.closesOn;
  if (!accepted)
    throw new RuleViolationError(
      'A7',
      `applications are accepted only while call ${callId} is open, from ${call.opensOn} to ${call.closesOn}` +
        ` (call ${call.status}, today ${today})`,
      { ...window, today },
    );
}

/**
 * A7, a resubmission after a return: the call (for a year) received it; taken until that year ends, or
 * until the call's window closes when that is later (a winter call's window runs into the next year).
 */
function withinCallYear(call: CallState, callId: string, at: string): void {
  if (call.status === 'none' || call.callId !== callId)
    throw new RuleViolationError('A7', `call ${callId} does not exist`, { callId });
  const today = shanghaiToday(new Date(at));
  const yearEnd = `${call.year}-12-31`;
  const lastDay = call.closesOn > yearEnd ? call.closesOn : yearEnd;
  if (today > lastDay)
    throw new RuleViolationError(
      'A7',
      `a returned application of call ${callId} (for ${call.year}) is resubmitted by ${lastDay}, not on ${today}`,
      { callId, year: call.year, lastDay, today },
    );
}

/**
 * A6.5: for an application, the activities held in the 12 months before submission. Our reading: the
 * declared period may not reach past the submission day, and must reach at least the last day of the
 * month before the submission month — activity statistics close monthly, so on 2026-03-10 the period
 * 2025-03-01..2026-02-28 counts, one ending 2026-01-31 (or 2019-12-31) does not. Its length (at most 12
 * months) is checked with the facts. Dates are Asia/Shanghai.
 */
function activitiesBeforeSubmission(facts: ApplicationFactsV1, submittedOn: string): void {
  const { periodFrom, periodTo } = facts.activities;
  const earliestEnd = addDays(`${submittedOn.slice(0, 7)}-01`, -1);
  if (periodTo > submittedOn || periodTo < earliestEnd)
    throw new InvalidInputError(
      'facts.activities.periodTo',
      `the activity period ${periodFrom}..${periodTo} must be the 12 months before submission on ` +
        `${submittedOn}: it must end between ${earliestEnd} and ${submittedOn} (A6.5)`,
    );
}

function unitsOf(command: { districtUnits?: readonly string[] }): readonly string[] {
  return command.districtUnits ?? DEFAULT_DISTRICT_UNITS;
}

function requireReasons(reasons: unknown): string[] {
  if (!Array.isArray(reasons) || reasons.length === 0)
    throw new InvalidInputError('reasons', 'at least one reason is required');
  return reasons.map((r, i) => requireText(`reasons[${i}]`, r));
}

function decide(command: ApplicationCommand, state: ApplicationState): ApplicationEvent[] {
  switch (command.kind) {
    case 'draft': {
      if (state.status !== 'none') throw illegal(state, 'draft application');
      const applicationId = requireText('applicationId', command.applicationId, 100);
      const at = requireInstant('at', command.at);
      const callId = requireText('callId', command.callId, 100);
      withinCall(command.call, callId, at, 'draft application');
      return [
        event(IntakeEventTypes.ApplicationDrafted, {
          applicationId,
          callId,
          operatorAccountId: requireText('operatorAccountId', command.operatorAccountId, 100),
          district: requireDistrictUnit('district', command.district, unitsOf(command)),
          facts: readApplicationFacts(command.facts),
          materials: readMaterials(command.materials),
        }),
      ];
    }
    case 'amend': {
      const moves =
        state.status !== 'none' && command.district !== undefined && command.district !== state.district;
      // From the first endorsement on, a move is refused as A3 in any state, before the state's own 409.
      if (moves && endorsedOnce(state)) throw districtFixed(state);
      const s = existing(state, AMENDABLE, 'amend application');
      const payload: ApplicationAmendedV1 = { applicationId: s.applicationId };
      if (command.facts !== undefined) payload.facts = readApplicationFacts(command.facts);
      if (command.materials !== undefined) payload.materials = readMaterials(command.materials);
      if (moves) {
        payload.district = requireDistrictUnit('district', command.district, unitsOf(command));
      }
      if (Object.keys(payload).length === 1) throw new InvalidInputError('facts', 'nothing to amend');
      return [event(IntakeEventTypes.ApplicationAmended, payload)];
    }
    case 'submit': {
      const s = existing(state, AMENDABLE, 'submit application');
      const at = requireInstant('at', command.at);
      // A7 admits a first submission only inside the window. A resubmission after a return (by the district
      // office, or for supplement — A8: not a rejection) completes an application the call received in time,
      // so it is taken after the window too, within the call's year; otherwise a return near the deadline
      // would end the application.
      if (s.revision === 0) withinCall(command.call, s.callId, at, 'submit application');
      else withinCallYear(command.call, s.callId, at);
      requireDistrictUnit('district', s.district, unitsOf(command));
      activitiesBeforeSubmission(s.facts, shanghaiToday(new Date(at)));
      const { applicationId, callId, district, facts, materials } = s;
      return [
        event(IntakeEventTypes.ApplicationSubmitted, {
          applicationId,
          callId,
          district,
          revision: s.revision + 1,
          submittedAt: at,
          facts,
          materials,
        }),
      ];
    }
    case 'endorse': {
      actingFor(state, command.district);
      const s = existing(state, ['submitted'], 'endorse application');
      const payload: ApplicationEndorsedV1 = {
        applicationId: s.applicationId,
        district: s.district,
        revision: s.revision,
        endorsedAt: requireInstant('at', command.at),
      };
      if (command.opinion !== undefined) payload.opinion = requireText('opinion', command.opinion);
      return [event(IntakeEventTypes.ApplicationEndorsed, payload)];
    }
    case 'return-by-district': {
      actingFor(state, command.district);
      const s = existing(state, ['submitted'], 'return application');
      return [
        event(IntakeEventTypes.ApplicationReturnedByDistrict, {
          applicationId: s.applicationId,
          district: s.district,
          revision: s.revision,
          returnedAt: requireInstant('at', command.at),
          reasons: requireReasons(command.reasons),
        }),
      ];
    }
    case 'check-materials': {
      const s = existing(state, ['endorsed'], 'accept application');
      const at = requireInstant('at', command.at);
      const decision = command.materialsDecision;
      if (decision?.rule !== 'materials')
        throw new InvalidInputError('materialsDecision', 'must be the A8 materials decision from libs/rules');
      if (!decision.outcome.complete)
        return [
          event(IntakeEventTypes.ApplicationReturnedForSupplement, {
            applicationId: s.applicationId,
            revision: s.revision,
            returnedAt: at,
            missing: decision.outcome.missing,
            reasons: decision.reasons.filter((r) => !r.passed).map((r) => r.message.zh),
            materialsDecision: decision,
          }),
        ];
      const { applicationId, callId, operatorAccountId, district, revision, facts, materials } = s;
      return [
        event(IntakeEventTypes.ApplicationAccepted, {
          applicationId,
          callId,
          operatorAccountId,
          district,
          revision,
          acceptedAt: at,
          facts,
          materials,
          materialsDecision: decision,
        }),
      ];
    }
    case 'return-for-supplement': {
      const s = existing(state, ['endorsed'], 'return application for supplement');
      return [
        event(IntakeEventTypes.ApplicationReturnedForSupplement, {
          applicationId: s.applicationId,
          revision: s.revision,
          returnedAt: requireInstant('at', command.at),
          missing: (command.missing ?? []).map((k, i) => requireOneOf(`missing[${i}]`, k, MATERIAL_KINDS)),
          reasons: requireReasons(command.reasons),
        }),
      ];
    }
  }
}

function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  if (event.type === IntakeEventTypes.ApplicationDrafted) {
    const p = event.payload;
    return { status: 'draft', ...p, revision: 0, returns: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case IntakeEventTypes.ApplicationAmended: {
      const { facts = state.facts, materials = state.materials, district = state.district } = event.payload;
      return { ...state, facts, materials, district };
    }
    case IntakeEventTypes.ApplicationSubmitted:
      return { ...state, status: 'submitted', revision: event.payload.revision };
    case IntakeEventTypes.ApplicationEndorsed:
      return { ...state, status: 'endorsed' };
    case IntakeEventTypes.ApplicationReturnedByDistrict: {
      const { revision, returnedAt: at, reasons } = event.payload;
      const entry: ApplicationReturn = { by: 'district', revision, at, reasons, missing: [] };
      return { ...state, status: 'returned-by-district', returns: [...state.returns, entry] };
    }
    case IntakeEventTypes.ApplicationReturnedForSupplement: {
      const { revision, returnedAt: at, reasons, missing } = event.payload;
      const entry: ApplicationReturn = { by: 'bureau', revision, at, reasons, missing };
      return { ...state, status: 'returned-for-supplement', returns: [...state.returns, entry] };
    }
    case IntakeEventTypes.ApplicationAccepted:
      return { ...state, status: 'accepted' };
  }
}

/** A8: an application for one center, from draft through district endorsement to the bureau's acceptance. */
export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
  /** Every event type of the stream (checked complete by the type checker): a load refuses any other. */
  eventTypes: {
    [IntakeEventTypes.ApplicationDrafted]: true,
    [IntakeEventTypes.ApplicationAmended]: true,
    [IntakeEventTypes.ApplicationSubmitted]: true,
    [IntakeEventTypes.ApplicationEndorsed]: true,
    [IntakeEventTypes.ApplicationReturnedByDistrict]: true,
    [IntakeEventTypes.ApplicationReturnedForSupplement]: true,
    [IntakeEventTypes.ApplicationAccepted]: true,
  },
};
