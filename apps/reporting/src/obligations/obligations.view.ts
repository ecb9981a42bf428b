import { OpenObligations } from '../domain/obligations/obligations.types';

/**
 * The read shape of a center's obligations (reports sorted by period). Once the obligations ended
 * (revocation), a report neither filed nor overdue is no longer owed and leaves the list, as in the
 * registry's standing; overdue ones stay.
 */
export function obligationsView(state: OpenObligations, version: number) {
  return {
    centerId: state.centerId,
    status: state.status,
    district: state.district,
    recognizedOn: state.recognizedOn,
    startedOn: state.startedOn,
    declaredStart: state.declaredStart,
    operatingDeadline: state.operatingDeadline,
    operatingDeadlinePassed: state.operatingDeadlinePassed,
    activitiesByYear: state.activitiesByYear,
    reports: Object.values(state.reports)
      .filter((r) => !state.ended || r.revisions.length > 0 || r.overdue)
      .sort((a, b) => a.period.localeCompare(b.period))
      .map((r) => ({
        kind: r.kind,
        period: r.period,
        dueOn: r.dueOn,
        overdue: r.overdue,
        filed: r.revisions.length > 0,
        late: r.revisions[0]?.late ?? null,
        revisions: r.revisions,
      })),
    majorChanges: state.majorChanges,
    ended: state.ended,
    version,
  };
}
