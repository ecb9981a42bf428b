import { AssessmentEventTypes } from '../events/assessment';
import type { PayloadSchema } from '../payload-schema';
import { anything, bool, date, integer, list, nullable, object, oneOf, text } from './builders';
import { decisionRecord, GRADES, operatorAccount } from './shared';

const T = AssessmentEventTypes;

const deadlineDecision = decisionRecord(
  anything(),
  object({ deadline: date(), status: oneOf(['started-in-time', 'pending', 'missed']), revoke: bool() }),
);
/** A decimal score as text, e.g. "87.5". */
const decimal = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' } satisfies PayloadSchema;

const gradeDecision = nullable(decisionRecord(anything(), object({ grade: oneOf(GRADES) })));
const revocationCheck = decisionRecord(
  anything(),
  object({ revoke: bool(), revokedAfterYear: nullable(integer()), longestRun: integer(0) }),
);
const indicators = nullable(list(object({ name: text(), score: decimal })));

/** v1 payload schemas of every assessment event, per wire name (consumers validate foreign events with them). */
export const AssessmentEventSchemas: Record<string, PayloadSchema> = {
  [T.CenterTracked]: object(
    {
      centerId: text(),
      district: text(),
      operatorId: operatorAccount(),
      recognizedOn: date(),
      operatingDeadline: date(),
      policyVersion: text(),
      decision: deadlineDecision,
      supportYears: list(object({ supportYear: integer(1), calendarYear: integer(2000, 2100) })),
    },
    ['supportYears'],
  ),
  [T.OperationStartRecorded]: object({ centerId: text(), startedOn: date(), decision: deadlineDecision }),
  [T.AssessmentCompleted]: object(
    {
      centerId: text(),
      year: integer(2000, 2100),
      supportYear: nullable(integer(1)),
      grade: oneOf(GRADES),
      method: oneOf(['score', 'direct']),
      indicators,
      score: nullable(decimal),
      reason: nullable(text(0)),
      activityCount: integer(0),
      activityCheck: object({
        ruleId: oneOf(['A6.5']),
        criterion: oneOf(['annualActivities']),
        measured: integer(0),
        threshold: text(),
        passed: bool(),
        message: object({ zh: text(), en: text() }),
        policyVersion: text(),
      }),
      reportCompliance: object({
        due: integer(0),
        filedOnTime: integer(0),
        filedLate: integer(0),
        missing: integer(0),
      }),
      assessedOn: date(),
      decision: gradeDecision,
      revocationCheck,
    },
    ['activityCheck'],
  ),
  [T.AssessmentRevised]: object({
    centerId: text(),
    year: integer(2000, 2100),
    supportYear: nullable(integer(1)),
    previousGrade: oneOf(GRADES),
    grade: oneOf(GRADES),
    method: oneOf(['score', 'direct']),
    indicators,
    score: nullable(decimal),
    gradeReason: nullable(text()),
    reason: text(),
    assessedOn: date(),
    revisedOn: date(),
    decision: gradeDecision,
    revocationCheck,
  }),
  [T.CenterRevoked]: object({
    centerId: text(),
    revokedOn: date(),
    ruleId: oneOf(['A16', 'A17.3a', 'A17.3b']),
    reason: oneOf([
      'no-longer-eligible-after-major-change',
      'not-operating-within-deadline',
      'consecutive-unqualified',
    ]),
    explanation: object({ zh: text(), en: text() }),
    decision: decisionRecord(),
  }),
};
