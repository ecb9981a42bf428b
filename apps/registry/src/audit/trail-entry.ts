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
    decisions: findRecordedDecisions(event.payload).map(({ field, decision }) => ({
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
 * The trail as shown to the center's operator and its district office. An objector's name and contact are
 * withheld, and so is who sent the objection (an objector signed in, e.g. a rival center's operator, is
 * recorded as the actor); an expert's review and site inspection and the bureau's investigation note show
 * that they happened and when, not who wrote what. Every rule's outcome stays. The bureau and auditors see
 * the trail as recorded (and replay its decisions).
 */
export function asShownToTheCenter<T extends Pick<TrailEntry, 'type' | 'decisions' | 'actor' | 'reason'>>(
  entry: T,
): T {
  const shown = REVIEWERS_WORK.includes(entry.type)
    ? { ...entry, actor: { ...entry.actor, id: WITHHELD }, reason: entry.reason && WITHHELD }
    : entry;
  if (!shown.decisions.some((d) => PERSONAL_INPUTS.some((k) => Object.hasOwn(Object(d.recorded.inputs), k))))
    return shown;
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
