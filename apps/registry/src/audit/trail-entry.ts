import {
  FinanceEventTypes,
  IntakeEventTypes,
  ReviewEventTypes,
  SERVICES,
  type EventEnvelope,
} from '@nqpf/contracts';
import { findRecordedDecisions, writtenReason, type RecordedDecision } from '@nqpf/audit';

/**
 * An automated decision as the trail shows it: which rules, which versions, and each pass/fail reason; and
 * the decision exactly as recorded in the event (inputs included), which `nqpf rules replay --file` re-runs.
 */
export interface TrailDecision {
  field: string;
  rule: string;
  rulesetVersion: string;
  policyVersion: string;
  calendarVersion: string | null;
  outcome: unknown;
  reasons: { ruleId: string; passed: boolean; message: string }[];
  recorded: RecordedDecision['decision'];
}

/** One line of a center's audit trail. */
export interface TrailEntry {
  eventId: string;
  /** The producing service, whose topic carried the event. */
  topic: string;
  centerId: string;
  type: string;
  streamId: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: { id: string; role: string; district: string | null };
  /** What a person wrote for a human decision, where the payload has it. */
  reason: string | null;
  /**
   * What the event records, as recorded (the grade set, the costs approved, the amount paid, the objection
   * ruled on, the list, the party signing and the day), except its automated decisions: those are in
   * `decisions`, each at its `field` (`withoutDecisions`). Null on a line kept before the trail kept
   * payloads, until the trail's consumer has read its event again.
   */
  payload: Record<string, unknown> | null;
  decisions: TrailDecision[];
  /** The district-level unit named by the payload, if any: the center's scope for district offices. */
  district: string | null;
}

/** The center an event is about: the envelope's center id, else the payload's center or application id. */
export function centerOf(event: EventEnvelope): string | null {
  if (event.centerId) return event.centerId;
  const p = event.payload as { centerId?: unknown; applicationId?: unknown } | null;
  if (typeof p?.centerId === 'string') return p.centerId;
  if (typeof p?.applicationId === 'string') return p.applicationId;
  return null;
}

/** Event types are `<service>.<name>`; the service names the topic the event came from. */
export function topicOf(type: string): string {
  const service = type.split('.')[0] ?? '';
  return (SERVICES as readonly string[]).includes(service) ? service : 'unknown';
}

/** The trail line of an event, or null for an event about no center (a call, a policy). */
export function toTrailEntry(event: EventEnvelope): TrailEntry | null {
  const centerId = centerOf(event);
  if (!centerId) return null;
  const payload = event.payload as { district?: unknown } | null;
  return {
    ...lineOf(event),
    centerId,
    district: typeof payload?.district === 'string' ? payload.district : null,
  };
}

/**
 * Decisions about no center — calls (A7), experts and their conflicts (A9.1), the subsidy policy book —
 * kept in a trail of their own, by stream.
 */
export const STREAM_TRAIL_TYPES: readonly string[] = [
  IntakeEventTypes.CallOpened,
  IntakeEventTypes.CallClosed,
  ReviewEventTypes.ExpertRegistered,
  ReviewEventTypes.ExpertConflictDeclared,
  FinanceEventTypes.PolicyPublished,
];

/** The trail line of an event about no center, or null for one about a center. */
export function toStreamTrailEntry(event: EventEnvelope): StreamTrailEntry | null {
  return centerOf(event) ? null : lineOf(event);
}

/** A trail line about no center: who published a policy or declared a conflict, when, why. */
export type StreamTrailEntry = Omit<TrailEntry, 'centerId' | 'district'>;

function lineOf(event: EventEnvelope): StreamTrailEntry {
  const decisions = findRecordedDecisions(event.payload);
  return {
    eventId: event.id,
    topic: topicOf(event.type),
    type: event.type,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: { id: event.actor.id, role: event.actor.role, district: event.actor.district ?? null },
    reason: writtenReason(event.type, event.payload),
    payload: withoutDecisions(
      event.payload,
      decisions.map((d) => d.field),
    ),
    decisions: decisions.map(({ field, decision }) => ({
      field,
      rule: decision.rule,
      rulesetVersion: decision.rulesetVersion,
      policyVersion: decision.policyVersion,
      calendarVersion: decision.calendarVersion ?? null,
      outcome: decision.outcome,
      reasons: decision.reasons.map((r) => ({ ruleId: r.ruleId, passed: r.passed, message: r.message.en })),
      recorded: decision,
    })),
  };
}

/**
 * The payload without the decisions at `fields` (dotted paths, as `TrailDecision.field`): each is in the
 * line's `decisions`, whole in `recorded`, so it is kept once. A decision that is an element of a list
 * leaves null in its place, so the list keeps its positions. Only the objects along each path are copied
 * (the payload is shared with the line's decisions and must not change); without decisions, it is the
 * payload itself.
 */
export function withoutDecisions(payload: unknown, fields: readonly string[]): Record<string, unknown> {
  let result = (payload ?? {}) as Record<string, unknown>;
  for (const field of fields) result = removedAt(result, field.split('.')) as Record<string, unknown>;
  return result;
}

function removedAt(target: unknown, path: string[]): unknown {
  const [key, ...rest] = path;
  if (key === undefined || key === '' || target === null || typeof target !== 'object') return target;
  if (!Object.hasOwn(target, key)) return target;
  const copy = (Array.isArray(target) ? [...target] : { ...target }) as Record<string, unknown>;
  if (rest.length > 0) copy[key] = removedAt(copy[key], rest);
  else if (Array.isArray(copy)) copy[Number(key)] = null;
  else delete copy[key];
  return copy;
}

/** An objection raised, or a letter refused: whoever sent or entered it is withheld from the center. */
const OBJECTION_TYPES: readonly string[] = [
  ReviewEventTypes.ObjectionRaised,
  ReviewEventTypes.ObjectionRefused,
];

/** Decision inputs naming a person outside the center (A9.4: the objector's real name and contact). */
const PERSONAL_INPUTS = ['realName', 'contact'];
const WITHHELD = '(withheld)';

/**
 * What the reviewers and the bureau's investigators wrote, and who they are, stay with the bureau and
 * auditors (A9.1: experts judge on their own; an applicant who knows who marked it down can press them).
 */
const REVIEWERS_WORK: readonly string[] = [
  ReviewEventTypes.ExpertReviewRecorded,
  ReviewEventTypes.SiteInspectionRecorded,
  ReviewEventTypes.ExpertReviewRevised,
  ReviewEventTypes.SiteInspectionRevised,
  ReviewEventTypes.ObjectionInvestigationStarted,
];

/**
 * Of an event whose author the center does not see, the payload fields it does see: that it happened, of
 * what, when. Every other field reads `(withheld)`: the score, opinion, finding, inspection outcome and
 * correction reason of an expert's work (A9.1), the investigation note, an objection's objector, text and
 * letter (A9.4: review shows the center objections by id and status only). A list, not the fields to hide,
 * so a field added to these events later is withheld until someone decides otherwise.
 */
const SHOWN_OF_WITHHELD_WORK: Readonly<Record<string, readonly string[]>> = {
  [ReviewEventTypes.ExpertReviewRecorded]: ['applicationId', 'recordedAt'],
  [ReviewEventTypes.SiteInspectionRecorded]: ['applicationId', 'inspectedOn', 'recordedAt'],
  [ReviewEventTypes.ExpertReviewRevised]: ['applicationId', 'revisedAt'],
  [ReviewEventTypes.SiteInspectionRevised]: ['applicationId', 'inspectedOn', 'revisedAt'],
  [ReviewEventTypes.ObjectionInvestigationStarted]: ['applicationId', 'objectionId', 'startedAt'],
  [ReviewEventTypes.ObjectionRaised]: ['applicationId', 'objectionId', 'raisedAt'],
  // A letter A9.4 refused: that one came and when; who wrote it, what and its register entry are withheld.
  [ReviewEventTypes.ObjectionRefused]: ['applicationId', 'objectionId', 'receivedAt'],
  // The bureau's reason for withdrawing an expert is typically a conflict they declared (A9.1).
  [ReviewEventTypes.ExpertUnassigned]: ['applicationId', 'unassignedAt'],
};
/**
 * Review's event types this registry knows. One it does not know yet (a newer review rolled out first) may
 * carry an expert's work: it is shown to the center as such (author, reason and payload withheld) until
 * someone lists what of it the center may see.
 */
const KNOWN_REVIEW_TYPES: ReadonlySet<string> = new Set(Object.values(ReviewEventTypes));
const unknownReviewType = (type: string) => type.startsWith('review.') && !KNOWN_REVIEW_TYPES.has(type);
/** The bureau's own step, shown with its author, whose written reason concerns an expert (A9.1). */
const REASON_ABOUT_AN_EXPERT: readonly string[] = [ReviewEventTypes.ExpertUnassigned];
/** What the center sees of another event whose author is withheld (an objector's, by its decision's inputs). */
const SHOWN_OF_ANY_WITHHELD: readonly string[] = ['applicationId', 'centerId'];
/** Payload fields naming an expert (an assignment, its withdrawal): the panel is not the applicant's to know. */
const EXPERT_FIELDS: readonly string[] = ['expertId'];

/**
 * The trail as shown to the center's operator and its district office. An objector's name and contact are
 * withheld, and so is who sent the objection (an objector signed in, e.g. a rival center's operator, is
 * recorded as the actor); an expert's review and site inspection and the bureau's investigation note show
 * that they happened and when, not who wrote what. The payload follows: of these events only what
 * SHOWN_OF_WITHHELD_WORK lists, and an expert's id in any event, read `(withheld)`. Every rule's outcome
 * stays. The bureau and auditors see the trail as recorded (and replay its decisions).
 */
export function asShownToTheCenter<
  T extends Pick<TrailEntry, 'type' | 'decisions' | 'actor' | 'reason' | 'payload'>,
>(entry: T): T {
  // An objection's sender is withheld by its type, whatever its decision's inputs hold (an anonymous
  // letter's has no name, yet who entered it and what it says stay with the bureau and auditors).
  const personal =
    OBJECTION_TYPES.includes(entry.type) ||
    entry.decisions.some((d) => PERSONAL_INPUTS.some((k) => Object.hasOwn(Object(d.recorded.inputs), k)));
  const work = REVIEWERS_WORK.includes(entry.type) || unknownReviewType(entry.type);
  const payload = entry.payload && payloadAsShownToTheCenter(entry.type, entry.payload, work || personal);
  const shown = work
    ? { ...entry, payload, actor: { ...entry.actor, id: WITHHELD }, reason: entry.reason && WITHHELD }
    : REASON_ABOUT_AN_EXPERT.includes(entry.type)
      ? { ...entry, payload, reason: entry.reason && WITHHELD }
      : payload === entry.payload
        ? entry
        : { ...entry, payload };
  if (!personal) return shown;
  return {
    ...shown,
    actor: { id: WITHHELD, role: WITHHELD, district: null },
    decisions: shown.decisions.map((d) => {
      const inputs = { ...(d.recorded.inputs as Record<string, unknown>) };
      for (const k of PERSONAL_INPUTS) if (Object.hasOwn(inputs, k)) inputs[k] = WITHHELD;
      return { ...d, recorded: { ...d.recorded, inputs } };
    }),
  };
}

/** The payload as the center sees it; the same object when nothing in it is withheld. */
function payloadAsShownToTheCenter(
  type: string,
  payload: Record<string, unknown>,
  authorWithheld: boolean,
): Record<string, unknown> {
  const listed = SHOWN_OF_WITHHELD_WORK[type];
  const shows = listed ?? (authorWithheld ? SHOWN_OF_ANY_WITHHELD : undefined);
  const withheld = Object.keys(payload).filter((k) =>
    shows ? !shows.includes(k) : EXPERT_FIELDS.includes(k),
  );
  if (withheld.length === 0) return payload;
  return { ...payload, ...Object.fromEntries(withheld.map((k) => [k, WITHHELD])) };
}
