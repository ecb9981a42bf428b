import {
  ReportingEventTypes as T,
  type ActivityLoggedV1,
  type ActivityWithdrawnV1,
  type EventEnvelope,
} from '@nqpf/contracts';

/** One activity as the operator logged it; `loggedAt`: the instant of the request that logged it. */
export interface ActivityEntry {
  activityId: string;
  type: string;
  heldOn: string;
  title: string;
  participants: number;
  evidenceHash: string;
  loggedAt: string;
}

export interface WithdrawnActivityEntry extends ActivityEntry {
  withdrawnOn: string;
  reason: string;
}

/** The events this view reads. */
export const ACTIVITIES_VIEW_EVENTS: readonly string[] = [T.ActivityLogged, T.ActivityWithdrawn];

const yearOf = (heldOn: string) => Number(heldOn.slice(0, 4));

const byDayThenId = (a: ActivityEntry, b: ActivityEntry) =>
  a.heldOn.localeCompare(b.heldOn) || a.activityId.localeCompare(b.activityId);

/**
 * A6.5: a center's activities, from its stream's events (the state keeps only a key per activity, and no
 * event payload says when it was logged). `activities`: those still counted; `withdrawn`: those that left
 * the count, with the operator's reason. `activitiesByYear` is counted as evolve counts it (+1 logged, −1
 * withdrawn), so it equals the obligations' for the same events, and each year's count is that year's
 * entries in `activities`. `year`: only activities held in that calendar year (as the assessment counts
 * them); null: every year. Lists by heldOn, then activityId.
 */
export function activitiesView(
  centerId: string,
  year: number | null,
  events: Pick<EventEnvelope, 'type' | 'payload' | 'occurredAt'>[],
  version: number,
) {
  const counted = new Map<string, ActivityEntry>();
  const withdrawn: WithdrawnActivityEntry[] = [];
  const activitiesByYear: Record<number, number> = {};
  const inScope = (heldOn: string) => year === null || yearOf(heldOn) === year;
  for (const event of events) {
    if (event.type === T.ActivityLogged) {
      const p = event.payload as ActivityLoggedV1;
      if (!inScope(p.heldOn)) continue;
      const { activityId, type, heldOn, title, participants, evidenceHash } = p;
      counted.set(activityId, {
        activityId,
        type,
        heldOn,
        title,
        participants,
        evidenceHash,
        loggedAt: event.occurredAt,
      });
      activitiesByYear[yearOf(heldOn)] = (activitiesByYear[yearOf(heldOn)] ?? 0) + 1;
    } else if (event.type === T.ActivityWithdrawn) {
      const p = event.payload as ActivityWithdrawnV1;
      const entry = counted.get(p.activityId);
      if (!entry) continue;
      counted.delete(p.activityId);
      withdrawn.push({ ...entry, withdrawnOn: p.withdrawnOn, reason: p.reason });
      activitiesByYear[yearOf(p.heldOn)] = (activitiesByYear[yearOf(p.heldOn)] ?? 0) - 1;
    }
  }
  return {
    centerId,
    year,
    activitiesByYear,
    activities: [...counted.values()].sort(byDayThenId),
    withdrawn: withdrawn.sort(byDayThenId),
    version,
  };
}
