import { AssessmentEventTypes } from '../events/assessment';
import { FinanceEventTypes } from '../events/finance';
import { IntakeEventTypes } from '../events/intake';
import { ReportingEventTypes } from '../events/reporting';
import { ReviewEventTypes } from '../events/review';
import type { PayloadSchema } from '../payload-schema';
import type { ServiceName } from '../topics';
import { AssessmentEventSchemas } from './assessment';
import { FinanceEventSchemas } from './finance';
import { IntakeEventSchemas } from './intake';
import { ReportingEventSchemas } from './reporting';
import { ReviewEventSchemas } from './review';

/** One published event type at one schema version: the unit a JSON Schema file and an AsyncAPI message describe. */
export interface EventContract {
  service: ServiceName;
  /** Wire name, e.g. 'review.center-recognized'. */
  type: string;
  schemaVersion: number;
  payload: PayloadSchema;
}

/** Per service: the wire names its code publishes, and the payload schemas per schema version. */
export const SERVICE_EVENT_TYPES: Record<ServiceName, Record<string, string>> = {
  intake: IntakeEventTypes,
  review: ReviewEventTypes,
  reporting: ReportingEventTypes,
  assessment: AssessmentEventTypes,
  finance: FinanceEventTypes,
};

/** Schemas per version; a breaking change adds a version here (and an upcaster on read), never edits one. */
const SCHEMAS_BY_VERSION: Record<ServiceName, Record<number, Record<string, PayloadSchema>>> = {
  intake: { 1: IntakeEventSchemas },
  review: { 1: ReviewEventSchemas },
  reporting: { 1: ReportingEventSchemas },
  assessment: { 1: AssessmentEventSchemas },
  finance: { 1: FinanceEventSchemas },
};

export const EVENT_CONTRACTS: readonly EventContract[] = Object.entries(SCHEMAS_BY_VERSION).flatMap(
  ([service, versions]) =>
    Object.entries(versions).flatMap(([version, schemas]) =>
      Object.entries(schemas).map(([type, payload]) => ({
        service: service as ServiceName,
        type,
        schemaVersion: Number(version),
        payload,
      })),
    ),
);

/** The contract of a type at a version, if one is published. */
export function findEventContract(type: string, schemaVersion: number): EventContract | undefined {
  return EVENT_CONTRACTS.find((c) => c.type === type && c.schemaVersion === schemaVersion);
}

/** 'review.center-recognized' v1 → 'review/center-recognized.v1.schema.json' (under libs/contracts/schemas). */
export function schemaFilePath(contract: Pick<EventContract, 'service' | 'type' | 'schemaVersion'>): string {
  const prefix = `${contract.service}.`;
  if (!contract.type.startsWith(prefix)) {
    throw new Error(`event type ${contract.type} must start with '${prefix}'`);
  }
  return `${contract.service}/${contract.type.slice(prefix.length)}.v${contract.schemaVersion}.schema.json`;
}

/**
 * Every published event type's payload schema (schema version 1), by wire name: what a consumer passes as
 * `validate`, so that events from other services are checked against their contract, not a local guess.
 */
export const EventPayloadSchemas: Record<string, PayloadSchema> = Object.fromEntries(
  EVENT_CONTRACTS.filter((c) => c.schemaVersion === 1).map((c) => [c.type, c.payload]),
);
