import type { PayloadSchema } from '../payload-schema';
import { anything, bool, date, integer, list, object, oneOf, sha256, text } from './builders';
import { personal } from './personal-data';

/** The operator's staff account behind the application, as intake recorded it (operatorAccountId, operatorId). */
export const operatorAccount = (): PayloadSchema =>
  personal(
    'account-id',
    "The operator's staff account that drafted the application: the identity provider's subject, a person's id.",
    text(),
  );

/** DecisionReasonV1: one rule checked, as libs/rules records it. */
export const decisionReason = object({
  ruleId: text(),
  criterion: text(),
  measured: anything(),
  threshold: anything(),
  passed: bool(),
  message: object({ zh: text(0), en: text(0) }),
});

/** DecisionRecordV1: enough to replay and explain an automated decision. */
export function decisionRecord(
  inputs: PayloadSchema = anything(),
  outcome: PayloadSchema = anything(),
): PayloadSchema {
  return object(
    {
      rule: text(),
      rulesetVersion: text(),
      policyVersion: text(),
      calendarVersion: text(),
      inputs,
      outcome,
      reasons: list(decisionReason),
    },
    ['calendarVersion'],
  );
}

export const MATERIAL_KINDS = ['application_form', 'construction_plan', 'co_construction_agreement', 'other'];

export const material = object({
  kind: oneOf(MATERIAL_KINDS),
  fileName: text(),
  mediaType: text(),
  sizeBytes: integer(0),
  sha256: sha256(),
});

export const materialsDecision = decisionRecord(
  object({ materials: list(material) }),
  object({ complete: bool(), missing: list(oneOf(MATERIAL_KINDS)) }),
);

/** ApplicationFactsV1: the art. 6 facts an operator declares. */
export const applicationFacts = object(
  {
    premises: object({ buildingAreaM2: { type: 'string', pattern: '^\\d+(\\.\\d{1,2})?$' } }),
    services: list(text()),
    functions: list(text()),
    functionTags: list(text()),
    institutions: list(
      object(
        {
          name: text(),
          kind: oneOf(['university', 'research_institute', 'enterprise', 'st_service_org', 'other']),
          creditCode: text(),
        },
        ['creditCode'],
      ),
    ),
    strategicCooperations: list(
      object({ partner: text(), level: oneOf(['national', 'province', 'city', 'district']) }),
    ),
    operator: object({ name: text(), creditCode: text() }),
    team: object({
      staffInPost: integer(0),
      brokers: object({ junior: integer(0), intermediate: integer(0), senior: integer(0) }),
    }),
    activities: object({ count: integer(0), periodFrom: date(), periodTo: date() }),
  },
  ['functionTags'],
);

export const GRADES = ['优秀', '良好', '合格', '不合格'];
