import type { SchemaObject } from '@nestjs/swagger';
import {
  CenterTrail,
  CenterTrailLine,
  CentersTrail,
  CentersTrailLine,
  DecisionRecord,
  StreamTrail,
  StreamTrailLine,
  TrailDecision,
} from './audit.schemas';
import { Call, CallList } from './calls.schemas';
import { ErrorBody } from './error.schemas';
import type { JsonSchema } from './json-schema';
import {
  LedgerAsOf,
  LedgerEntry,
  LedgerPage,
  LedgerSummary,
  LedgerView,
  LedgerYearRow,
} from './ledger.schemas';
import { RebuildAnswer } from './rebuild.schemas';
import {
  DecisionReason,
  EndOffsets,
  StandingAsOf,
  StandingPage,
  StandingSummary,
  StandingView,
} from './standing.schemas';

/**
 * The version of the read API's contract (info.version of the registry's OpenAPI document). A field, route,
 * error status or enum value added moves the minor version, a correction of wording the patch; removing or
 * renaming a field, changing its type or meaning, or refusing what was accepted moves the major version
 * (and needs a release note telling consumers). docs/contracts/README.md, "The registry's read API".
 */
export const READ_API_VERSION = '1.18.0';

/** Every named schema of the read API's answers: components.schemas of the OpenAPI document. */
export const READ_API_SCHEMAS = {
  StandingView,
  StandingPage,
  StandingAsOf,
  StandingSummary,
  DecisionReason,
  EndOffsets,
  LedgerYearRow,
  LedgerPage,
  LedgerEntry,
  LedgerView,
  LedgerAsOf,
  LedgerSummary,
  CenterTrail,
  CenterTrailLine,
  CentersTrail,
  CentersTrailLine,
  StreamTrail,
  StreamTrailLine,
  TrailDecision,
  DecisionRecord,
  RebuildAnswer,
  Call,
  CallList,
  ErrorBody,
} satisfies Record<string, JsonSchema>;
export type ReadApiSchemaName = keyof typeof READ_API_SCHEMAS;

/** The schemas as @nestjs/swagger types them (an OpenAPI 3.0 subset: a JSON Schema type list is fine in 3.1). */
export const readApiSchemaObjects = (): Record<string, SchemaObject> =>
  READ_API_SCHEMAS as unknown as Record<string, SchemaObject>;
