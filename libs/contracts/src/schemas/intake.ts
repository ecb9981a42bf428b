import { IntakeEventTypes } from '../events/intake';
import type { PayloadSchema } from '../payload-schema';
import { date, instant, integer, list, object, oneOf, text } from './builders';
import { applicationFacts, material, MATERIAL_KINDS, materialsDecision, operatorAccount } from './shared';

const T = IntakeEventTypes;

/** v1 payload schemas of every intake event, per wire name; consumers validate intake's events with them. */
export const IntakeEventSchemas: Record<string, PayloadSchema> = {
  [T.CallOpened]: object({ callId: text(), year: integer(2000, 2100), opensOn: date(), closesOn: date() }),
  [T.CallClosed]: object({ callId: text(), closedOn: date(), reason: text() }, ['reason']),
  [T.ApplicationDrafted]: object({
    applicationId: text(),
    callId: text(),
    operatorAccountId: operatorAccount(),
    district: text(),
    facts: applicationFacts,
    materials: list(material),
  }),
  [T.ApplicationAmended]: object(
    { applicationId: text(), facts: applicationFacts, materials: list(material), district: text() },
    ['facts', 'materials', 'district'],
  ),
  [T.ApplicationSubmitted]: object({
    applicationId: text(),
    callId: text(),
    district: text(),
    revision: integer(1),
    submittedAt: instant(),
    facts: applicationFacts,
    materials: list(material),
  }),
  [T.ApplicationEndorsed]: object(
    {
      applicationId: text(),
      district: text(),
      revision: integer(1),
      endorsedAt: instant(),
      opinion: text(0),
    },
    ['opinion'],
  ),
  [T.ApplicationReturnedByDistrict]: object({
    applicationId: text(),
    district: text(),
    revision: integer(1),
    returnedAt: instant(),
    reasons: list(text()),
  }),
  [T.ApplicationReturnedForSupplement]: object(
    {
      applicationId: text(),
      revision: integer(1),
      returnedAt: instant(),
      missing: list(oneOf(MATERIAL_KINDS)),
      reasons: list(text()),
      materialsDecision,
    },
    ['materialsDecision'],
  ),
  [T.ApplicationAccepted]: object({
    applicationId: text(),
    callId: text(),
    operatorAccountId: operatorAccount(),
    district: text(),
    revision: integer(1),
    acceptedAt: instant(),
    facts: applicationFacts,
    materials: list(material),
    materialsDecision,
  }),
};
