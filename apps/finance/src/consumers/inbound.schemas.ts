import { AssessmentEventTypes, PayloadSchema, ReviewEventTypes } from '@nqpf/contracts';

const text: PayloadSchema = { type: 'string', minLength: 1 };
const date: PayloadSchema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

/**
 * The fields finance relies on in other services' events (untrusted input): an event without them goes
 * to the dead-letter topic instead of being retried.
 */
export const ReviewInboundSchemas: Record<string, PayloadSchema> = {
  [ReviewEventTypes.CenterRecognized]: {
    type: 'object',
    required: ['centerId', 'recognitionDate', 'district', 'operator'],
    properties: {
      centerId: text,
      recognitionDate: date,
      district: text,
      operator: { type: 'object', required: ['accountId'], properties: { accountId: text } },
    },
  },
};

export const AssessmentInboundSchemas: Record<string, PayloadSchema> = {
  [AssessmentEventTypes.AssessmentCompleted]: {
    type: 'object',
    required: ['centerId', 'year', 'supportYear', 'grade', 'assessedOn'],
    properties: {
      centerId: text,
      year: { type: 'integer', minimum: 2000, maximum: 2100 },
      supportYear: { type: ['integer', 'null'], minimum: 1 },
      grade: { type: 'string', enum: ['优秀', '良好', '合格', '不合格'] },
      assessedOn: text,
    },
  },
  [AssessmentEventTypes.CenterRevoked]: {
    type: 'object',
    required: ['centerId', 'revokedOn', 'ruleId', 'reason', 'explanation'],
    properties: {
      centerId: text,
      revokedOn: date,
      ruleId: text,
      reason: text,
      explanation: { type: 'object', required: ['en'], properties: { en: { type: 'string' } } },
    },
  },
};
