import type { Policy } from '@nqpf/rules';
import { OpenObligations } from '../domain/obligations/obligations.types';
import { isOwedAtEnd, periodFromKey } from '../domain/obligations/report-period';
import {
  storedOperatingDeadline,
  storedStartDeclarationsClose,
} from '../domain/obligations/operating-deadline';

/**
 * The read shape of a center's obligations (reports sorted by period). Once the obligations ended
 * (revocation), a report not filed on a period that ended after the revocation day is no longer owed and
 * leaves the list, as in the registry's standing; those of periods ended by that day stay, due or overdue,
 * until filed (isOwedAtEnd). A report's `state` is the registry's: due, overdue (not filed
 * by its due date, still unfiled), filed, filed_late — whichever of the deadline timer and the filing
 * came first. The A17.3a days are the ones the decider uses: for obligations opened before they were recorded,
 * decided under `recognitionPolicy` (the version obligations-opened recorded), null without it.
 */
export function obligationsView(
  state: OpenObligations,
  version: number,
  recognitionPolicy: Policy | null = null,
) {
  const decided = <T>(day: (s: OpenObligations, p: Policy) => T, recorded: T | null) =>
    recorded ?? (recognitionPolicy ? day(state, recognitionPolicy) : null);
  return {
    centerId: state.centerId,
    status: state.status,
    district: state.district,
    recognizedOn: state.recognizedOn,
    startedOn: state.startedOn,
    declaredStart: state.declaredStart,
    lastStartRejection: state.lastStartRejection,
    operatingDeadline: decided(storedOperatingDeadline, state.operatingDeadline),
    startDeclarationsCloseOn: decided(storedStartDeclarationsClose, state.startDeclarationsCloseOn),
    operatingDeadlinePassed: state.operatingDeadlinePassed,
    activitiesByYear: state.activitiesByYear,
    reports: Object.values(state.reports)
      .filter(
        (r) =>
          !state.ended || r.revisions.length > 0 || isOwedAtEnd(periodFromKey(r.period), state.ended.endedOn),
      )
      .sort((a, b) => a.period.localeCompare(b.period))
      .map((r) => {
        const filed = r.revisions.length > 0;
        const late = r.revisions[0]?.late ?? null;
        return {
          kind: r.kind,
          period: r.period,
          dueOn: r.dueOn,
          state: filed ? (late ? 'filed_late' : 'filed') : r.overdue ? 'overdue' : 'due',
          overdue: r.overdue && !filed,
          filed,
          late,
          revisions: r.revisions.map(({ revision, filedOn, late }) => ({ revision, filedOn, late })),
        };
      }),
    majorChanges: state.majorChanges,
    ended: state.ended,
    version,
  };
}
