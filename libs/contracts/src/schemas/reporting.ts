import { ACTIVITY_TYPES_V1, MAJOR_CHANGE_KINDS_V1, ReportingEventTypes } from '../events/reporting';
import type { PayloadSchema } from '../payload-schema';
import {
  anyObject,
  anything,
  bool,
  date,
  integer,
  list,
  nullable,
  object,
  oneOf,
  sha256,
  text,
} from './builders';
import { applicationFacts, decisionRecord, operatorAccount } from './shared';

const T = ReportingEventTypes;

const reportKind = oneOf(['quarterly', 'annual']);
/** 'YYYY-Qn' for quarterly reports, 'YYYY' for annual ones. */
const period = { type: 'string', pattern: '^\\d{4}(-Q[1-4])?$' } satisfies PayloadSchema;

/** ReportContentV1, a union told apart by `kind`; the subset has no oneOf, so both shapes' fields are listed. */
const reportContent = object(
  {
    kind: reportKind,
    majorActivities: text(0),
    importantResults: text(0),
    targetsMet: text(0),
    fundsUse: text(0),
    problems: text(0),
    nextYearPlan: text(0),
  },
  ['majorActivities', 'importantResults', 'targetsMet', 'fundsUse', 'problems', 'nextYearPlan'],
);

const overdueDecision = decisionRecord(anything(), object({ overdue: bool(), filed: bool() }));

/** v1 payload schemas of every reporting event, per wire name (consumers validate foreign events with them). */
export const ReportingEventSchemas: Record<string, PayloadSchema> = {
  [T.ObligationsOpened]: object(
    {
      centerId: text(),
      district: text(),
      operatorId: operatorAccount(),
      recognizedOn: date(),
      policyVersion: text(),
      // review.center-recognized's facts, copied (null before recognitions carried them): its one definition.
      facts: nullable(applicationFacts),
      operatingDeadline: date(),
      startDeclarationsCloseOn: date(),
    },
    ['operatingDeadline', 'startDeclarationsCloseOn'],
  ),
  [T.ReportDueScheduled]: object({
    centerId: text(),
    kind: reportKind,
    period,
    periodEnd: date(),
    dueOn: date(),
    follows: nullable(period),
    // quarterEnd: on quarterly reports only (libs/rules decideQuarterlyReportDue).
    decision: decisionRecord(anything(), object({ dueDate: date(), quarterEnd: date() }, ['quarterEnd'])),
  }),
  [T.OperationStartDeclared]: object(
    {
      centerId: text(),
      startedOn: date(),
      declaredOn: date(),
      decision: decisionRecord(
        object({ recognizedOn: date(), operationStartedOn: date(), declaredOn: date() }),
        object({
          deadline: date(),
          declarationDays: integer(0),
          declarationsCloseOn: date(),
          accepted: bool(),
        }),
      ),
    },
    ['decision'],
  ),
  [T.OperationStartRejected]: object({
    centerId: text(),
    startedOn: date(),
    rejectedOn: date(),
    reason: text(),
  }),
  [T.OperationStarted]: object(
    {
      centerId: text(),
      startedOn: date(),
      declaredOn: date(),
      confirmedOn: date(),
      decision: decisionRecord(anything(), object({ deadline: date(), status: text(), revoke: bool() })),
      basis: text(),
    },
    ['basis'],
  ),
  [T.ActivityLogged]: object({
    centerId: text(),
    activityId: text(),
    type: oneOf(ACTIVITY_TYPES_V1),
    heldOn: date(),
    title: text(),
    participants: integer(0),
    evidenceHash: sha256(),
    yearCount: integer(1),
  }),
  [T.ActivityWithdrawn]: object({
    centerId: text(),
    activityId: text(),
    heldOn: date(),
    reason: text(),
    withdrawnOn: date(),
    yearCount: integer(0),
  }),
  [T.ReportFiled]: object({
    centerId: text(),
    kind: reportKind,
    period,
    filedOn: date(),
    dueOn: date(),
    late: bool(),
    revision: { type: 'integer', enum: [1] },
    content: reportContent,
    documentHash: nullable(sha256()),
    decision: overdueDecision,
  }),
  [T.ReportCorrected]: object({
    centerId: text(),
    kind: reportKind,
    period,
    filedOn: date(),
    revision: integer(2),
    supersedesRevision: integer(1),
    content: reportContent,
    documentHash: nullable(sha256()),
    reason: nullable(text(0)),
  }),
  [T.ReportOverdue]: object({
    centerId: text(),
    kind: reportKind,
    period,
    dueOn: date(),
    asOf: date(),
    decision: overdueDecision,
  }),
  [T.MajorChangeReported]: object({
    centerId: text(),
    changeId: text(),
    changes: list(oneOf(MAJOR_CHANGE_KINDS_V1)),
    description: text(),
    effectiveOn: date(),
    reportedOn: date(),
    newFacts: anyObject(),
  }),
  [T.MajorChangeEvaluated]: object({
    centerId: text(),
    changeId: text(),
    stillEligible: bool(),
    failed: list(text()),
    evaluatedOn: date(),
    decision: decisionRecord(
      anything(),
      object(
        { stillEligible: bool(), revoke: bool(), failed: list(text()), failingAfterChange: list(text()) },
        ['failingAfterChange'],
      ),
    ),
  }),
  [T.ObligationsEnded]: object({ centerId: text(), endedOn: date(), ruleId: text(), reason: text() }),
  [T.OperatingDeadlinePassed]: object(
    {
      centerId: text(),
      recognizedOn: date(),
      operatingDeadline: date(),
      policyVersion: text(),
      passedOn: date(),
      cause: oneOf(['deadline', 'start-rejected']),
      startedOn: nullable(date()),
      declaredStart: nullable(object({ startedOn: date(), declaredOn: date() })),
      startDeclarationsCloseOn: date(),
    },
    ['startDeclarationsCloseOn'],
  ),
};
