import { anything, boolean, instant, integer, list, map, nullable, object, ref, string } from './json-schema';

/** DecisionRecordV1 as recorded in the event: what `nqpf rules replay --file` re-runs. */
export const DecisionRecord = object(
  {
    rule: string(),
    rulesetVersion: string(),
    policyVersion: string(),
    calendarVersion: string(),
    inputs: anything(),
    outcome: anything(),
    reasons: list(ref('DecisionReason')),
  },
  ['calendarVersion'],
);

/** trail-entry.ts TrailDecision: an automated decision as the trail shows it. */
export const TrailDecision = object({
  field: string('dotted path of the decision in the payload'),
  rule: string(),
  rulesetVersion: string(),
  policyVersion: string(),
  calendarVersion: nullable(string()),
  outcome: anything(),
  reasons: list(object({ ruleId: string(), passed: boolean(), message: string() })),
  recorded: ref('DecisionRecord'),
});

const line = {
  eventId: string(),
  topic: string('the producing service, whose topic carried the event'),
  type: string(),
  streamId: string(),
  streamVersion: integer(1),
  occurredAt: instant(),
  recordedAt: instant(),
  actor: object(
    { id: string(), role: string(), district: nullable(string()) },
    [],
    "who acted; '(withheld)' where the center may not see it",
  ),
  reason: nullable(string('what a person wrote for a human decision')),
  payload: nullable({
    ...map(anything()),
    description:
      "what the event records, as recorded, except its automated decisions (in decisions, each at its field); for the center's operator and district office an expert's id and work, an investigation note and an objection's objector, text and letter read '(withheld)'; null on a line kept before the trail kept payloads, until the registry has read its event again",
  }),
  decisions: list(ref('TrailDecision')),
};

/** audit.query.ts StreamTrailEntry: a trail line about no center (a call, an expert, the policy book). */
export const StreamTrailLine = object(line);

/** audit.query.ts TrailLine: one line of a center's trail. */
export const CenterTrailLine = object({ ...line, centerId: string() });

/** GET /audit/centers/:centerId: one page, in the trail's order. */
export const CenterTrail = object({
  centerId: string(),
  district: nullable(string()),
  events: list(ref('CenterTrailLine')),
  nextCursor: nullable(
    string('the next page: give it as `cursor` with the same parameters; null on the last page'),
  ),
});

/** GET /audit/events. */
export const StreamTrail = object({ events: list(ref('StreamTrailLine')) });

/** audit.query.ts CentersTrailLine: a center's line read city-wide, with the center's district. */
export const CentersTrailLine = object({
  ...line,
  centerId: string(),
  district: nullable(string("the center's district-level unit now (A3), its scope for district offices")),
});

/** GET /audit/centers: one page, by recorded time then the order received. */
export const CentersTrail = object({
  events: list(ref('CentersTrailLine')),
  nextCursor: nullable(
    string('the next page: give it as `cursor` with the same parameters; null on the last page'),
  ),
});
