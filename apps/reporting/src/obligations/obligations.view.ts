import { OpenObligations } from '../domain/obligations/obligations.types';

/** The read shape of a center's obligations (reports sorted by period). */
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
