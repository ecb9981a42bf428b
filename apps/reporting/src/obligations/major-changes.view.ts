import {
  ReportingEventTypes as T,
  type Actor,
  type EventEnvelope,
  type MajorChangeEvaluatedV1,
  type MajorChangeReportedV1,
} from '@nqpf/contracts';

/** The events this view reads. */
export const MAJOR_CHANGES_VIEW_EVENTS: readonly string[] = [T.MajorChangeReported, T.MajorChangeEvaluated];

/**
 * The re-check against art. 6 as recorded: its day, whether the recognition stands and the criteria the
 * change made fail, and the decision's rule, versions, outcome and reasons. The decision's inputs (the facts
 * before and after the change) are left to the audit trail: `newFacts` says what changed.
 */
export interface MajorChangeEvaluation {
  evaluatedOn: string;
  stillEligible: boolean;
  failed: string[];
  decision: Pick<
    MajorChangeEvaluatedV1['decision'],
    'rule' | 'rulesetVersion' | 'policyVersion' | 'outcome' | 'reasons'
  >;
}

/** One change as the operator reported it; `reportedBy`: the event's actor, the account that reported it. */
export interface MajorChangeEntry {
  changeId: string;
  changes: string[];
  description: string;
  effectiveOn: string;
  reportedOn: string;
  newFacts: Record<string, unknown>;
  reportedBy: Actor;
  /** Null only for a change whose re-check the stream does not hold (every report is re-checked at once). */
  evaluation: MajorChangeEvaluation | null;
}

/**
 * A16: a center's major changes, from its stream's events (the state keeps only whether each left the
 * center eligible): each as reported, with its re-check. By effectiveOn, then in the order reported — the
 * order the facts are merged in (factsOn).
 */
export function majorChangesView(
  centerId: string,
  events: Pick<EventEnvelope, 'type' | 'payload' | 'actor'>[],
  version: number,
) {
  const changes = new Map<string, MajorChangeEntry>();
  for (const event of events) {
    if (event.type === T.MajorChangeReported) {
      const p = event.payload as MajorChangeReportedV1;
      const { changeId, description, effectiveOn, reportedOn, newFacts } = p;
      changes.set(changeId, {
        changeId,
        changes: p.changes,
        description,
        effectiveOn,
        reportedOn,
        newFacts,
        reportedBy: event.actor,
        evaluation: null,
      });
    } else if (event.type === T.MajorChangeEvaluated) {
      const p = event.payload as MajorChangeEvaluatedV1;
      const entry = changes.get(p.changeId);
      if (!entry) continue;
      const { rule, rulesetVersion, policyVersion, outcome, reasons } = p.decision;
      entry.evaluation = {
        evaluatedOn: p.evaluatedOn,
        stillEligible: p.stillEligible,
        failed: p.failed,
        decision: { rule, rulesetVersion, policyVersion, outcome, reasons },
      };
    }
  }
  return {
    centerId,
    // Array.prototype.sort is stable: changes effective on the same day stay in the order reported.
    majorChanges: [...changes.values()].sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn)),
    version,
  };
}
