import {
  AssessmentEventTypes as A,
  canonicalJson,
  type DecisionRecordV1,
  type EventEnvelope,
  EventPayloadSchemas,
  knowsEvent,
  publishedEventsOf,
} from '@nqpf/contracts';
import type { ReplayContext } from '@nqpf/rules';
import type { CrossStoreReplay } from './cross-store';
import { DECISION_FIELDS, decisionsToReplay } from './decision-fields';
import { replayRecorded, type ReplayVerdict } from './replay-recorded';
import { noStreamFacts, rememberEvent, type StreamFacts } from './stream-facts';

export interface DecisionMismatch {
  store: string;
  eventId: string;
  eventType: string;
  streamId: string;
  /** The center the event is about (the audit trail's key), when it names one. */
  centerId: string | null;
  field: string;
  rule: string;
  reason: string;
}

export interface StoreReplayReport {
  store: string;
  events: number;
  decisions: number;
  matches: number;
  mismatches: DecisionMismatch[];
}

/**
 * What a replay knows besides the rules: the policies and calendars (ReplayContext), and when each policy
 * published in the stores was recorded (`publishedAt`, ISO instant by version): a version counts as in
 * force for a decision only once it was published before it. A version without one (bundled, or given by
 * the command) counts from the start. `policyInForce` false: the policy book (finance's store) was not
 * read, so which version was in force on a day is not known and not checked.
 */
export type StoreReplayContext = ReplayContext & {
  publishedAt?: ReadonlyMap<string, string>;
  policyInForce?: boolean;
  /**
   * The run across stores (replayStores): given each store's events and the decisions they found sound,
   * to hold the decisions copied from another store to it once every store is read (cross-store.ts).
   */
  crossStore?: CrossStoreReplay;
};

/** The envelope fields a replay reads. */
export type EventToReplay = Pick<
  EventEnvelope,
  'id' | 'type' | 'schemaVersion' | 'streamId' | 'centerId' | 'payload' | 'recordedAt' | 'occurredAt'
>;

/**
 * The events this build reads: every published type at the versions libs/contracts publishes (the one rule,
 * knowsEvent). A type none publishes carries no decision this build looks for, and is read as before.
 */
const KNOWN = publishedEventsOf(EventPayloadSchemas);

/** Whether this build cannot read the event's payload: a version of its type it does not know. */
const unreadable = (event: EventToReplay) =>
  knowsEvent(KNOWN, event.type, event.schemaVersion) === 'unknown-version';

const unknownVersion = (event: EventToReplay) =>
  `schema version ${event.schemaVersion} of ${event.type}: this build does not know it; replay with a release that does`;

type Where = Omit<DecisionMismatch, 'field' | 'rule' | 'reason'>;

/** A decision that revokes, awaiting the stream's next event: the revocation that must carry it. */
interface AwaitingRevocation {
  where: Where;
  field: string;
  rule: string;
  decision: string;
}

/** The fields whose decision, when its outcome revokes, the stream's next event must carry revoked. */
const REVOKING = new Set(DECISION_FIELDS.filter((f) => f.revokes).map((f) => `${f.eventType} ${f.field}`));

/**
 * Every decision of one store's events, fed in store order (position: a stream's events in version order):
 * each re-run, held to its event, to what the stream's earlier events recorded, and to the policy in force.
 */
export class StoreReplay {
  private readonly report: StoreReplayReport;
  private readonly streams = new Map<string, StreamFacts>();
  private readonly awaiting = new Map<string, AwaitingRevocation>();

  constructor(
    name: string,
    private readonly context: StoreReplayContext,
  ) {
    this.report = { store: name, events: 0, decisions: 0, matches: 0, mismatches: [] };
  }

  take(event: EventToReplay): void {
    this.report.events += 1;
    const where: Where = {
      store: this.report.store,
      eventId: event.id,
      eventType: event.type,
      streamId: event.streamId,
      centerId: event.centerId,
    };
    const stream = this.streams.get(event.streamId) ?? noStreamFacts();
    this.settle(event.streamId, event);
    // Never read as another version: one mismatch that names it, counted as a decision so that a version
    // changed in the store cannot hide the event's decisions and leave the replay clean.
    if (unreadable(event)) {
      this.report.decisions += 1;
      this.count(where, 'schemaVersion', '(not read)', { match: false, reason: unknownVersion(event) });
      return;
    }
    this.context.crossStore?.observe(this.report.store, event);
    for (const found of decisionsToReplay(event.type, event.payload, {
      occurredAt: event.occurredAt,
      stream,
    })) {
      this.report.decisions += 1;
      const verdict =
        'decision' in found
          ? (wrongPolicy(found.decision, found.policyOn, event.recordedAt, this.context) ??
            replayRecorded(found.decision, this.context))
          : { match: false as const, reason: found.problem };
      if (verdict.match && 'decision' in found && revokes(event.type, found.field, found.decision))
        this.awaiting.set(event.streamId, {
          where,
          field: found.field,
          rule: found.rule,
          decision: canonicalJson(found.decision),
        });
      else {
        this.count(where, found.field, found.rule, verdict);
        if (verdict.match && 'decision' in found)
          this.context.crossStore?.claim(this.report, where, event, found.field, found.decision);
      }
    }
    this.streams.set(event.streamId, rememberEvent(stream, event.type, event.payload));
  }

  /** The report, once every event was taken: a revoking decision no event followed is a mismatch. */
  finish(): StoreReplayReport {
    for (const streamId of [...this.awaiting.keys()]) this.settle(streamId, undefined);
    return this.report;
  }

  /** The stream's revoking decision, if one awaits, against the event that followed it (or none). */
  private settle(streamId: string, next: EventToReplay | undefined): void {
    const awaiting = this.awaiting.get(streamId);
    if (!awaiting) return;
    this.awaiting.delete(streamId);
    if (next && unreadable(next)) {
      const reason = `cannot tell whether the stream's next event carries its revocation: ${next.id} is ${unknownVersion(next)}`;
      this.count(awaiting.where, awaiting.field, awaiting.rule, { match: false, reason });
      return;
    }
    const carried =
      next?.type === A.CenterRevoked &&
      canonicalJson((next.payload as { decision?: unknown } | null)?.decision ?? null) === awaiting.decision;
    const follows = next ? `the stream's next event is ${next.type} ${next.id}` : 'no event follows it';
    this.count(
      awaiting.where,
      awaiting.field,
      awaiting.rule,
      carried
        ? { match: true }
        : {
            match: false,
            reason: `the event does not do what its decision decided: outcome \`revoke\` is true, but ${follows}${next?.type === A.CenterRevoked ? ' with another decision' : ''}, not the ${A.CenterRevoked} carrying it`,
          },
    );
  }

  private count(where: Where, field: string, rule: string, verdict: ReplayVerdict): void {
    if (verdict.match) this.report.matches += 1;
    else this.report.mismatches.push({ ...where, field, rule, reason: verdict.reason });
  }
}

function revokes(eventType: string, field: string, decision: DecisionRecordV1): boolean {
  const outcome = decision.outcome as { revoke?: unknown } | null;
  return REVOKING.has(`${eventType} ${field}`) && outcome?.revoke === true;
}

/**
 * A decision naming another policy than the one in force on its day, among the versions published before
 * the decision was recorded (a version published later that day, effective the same day as finance once
 * allowed, was not the one to apply then).
 */
function wrongPolicy(
  decision: DecisionRecordV1,
  day: string | undefined,
  recordedAt: string,
  context: StoreReplayContext,
): ReplayVerdict | undefined {
  if (day === undefined || context.policyInForce === false) return undefined;
  const known = context.policies
    .versions()
    .map((v) => context.policies.get(v))
    .filter((p) => p.effectiveFrom <= day)
    .filter((p) => {
      const published = context.publishedAt?.get(p.version);
      return published === undefined || Date.parse(published) < Date.parse(recordedAt);
    });
  if (known.length === 0) return { match: false, reason: `no policy known in force on ${day}` };
  const inForce = known.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a)).version;
  return inForce === decision.policyVersion
    ? undefined
    : {
        match: false,
        reason: `decided under ${decision.policyVersion}, but ${inForce} was in force on ${day}`,
      };
}
