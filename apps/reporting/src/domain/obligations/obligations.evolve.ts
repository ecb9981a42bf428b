import { ReportingEventTypes as T } from '@nqpf/contracts';
import { activityKey, activityKeyOf } from './decide-activity';
import { majorChangeKey } from './major-change-facts';
import { ObligationsEvent, ObligationsState, OpenObligations, ReportRecord } from './obligations.types';
import { reportContentKey } from './report-content';

function withReport(
  state: OpenObligations,
  period: string,
  base: Pick<ReportRecord, 'kind' | 'dueOn'>,
  change: (r: ReportRecord) => ReportRecord,
): OpenObligations {
  const current: ReportRecord = state.reports[period] ?? {
    ...base,
    period,
    scheduled: false,
    deadlinePassed: false,
    overdue: false,
    revisions: [],
  };
  return { ...state, reports: { ...state.reports, [period]: change(current) } };
}

export function evolve(state: ObligationsState, event: ObligationsEvent): ObligationsState {
  if (event.type === T.ObligationsOpened) {
    const p = event.payload;
    const ended = state.status === 'none' ? (state.ended ?? null) : null;
    return {
      status: ended ? 'ended' : 'recognised',
      centerId: p.centerId,
      district: p.district,
      operatorId: p.operatorId,
      recognizedOn: p.recognizedOn,
      policyVersion: p.policyVersion,
      operatingDeadline: p.operatingDeadline ?? null,
      startDeclarationsCloseOn: p.startDeclarationsCloseOn ?? null,
      operatingDeadlinePassed: null,
      recognizedFacts: (p.facts as Record<string, unknown> | null) ?? null,
      factChanges: [],
      declaredStart: null,
      lastStartRejection: null,
      startedOn: null,
      activitiesByYear: {},
      activityKeys: {},
      majorChangeKeys: {},
      reports: {},
      majorChanges: {},
      ended,
    };
  }
  if (state.status === 'none') {
    if (event.type !== T.ObligationsEnded) return state;
    const { endedOn, ruleId, reason } = event.payload;
    return { status: 'none', ended: { endedOn, ruleId, reason } };
  }
  switch (event.type) {
    case T.ReportDueScheduled: {
      const p = event.payload;
      const scheduled = withReport(state, p.period, p, (r) => ({ ...r, dueOn: p.dueOn, scheduled: true }));
      return p.follows === null
        ? scheduled
        : withReport(scheduled, p.follows, p, (r) => ({ ...r, deadlinePassed: true }));
    }
    case T.ReportOverdue:
      return withReport(state, event.payload.period, event.payload, (r) => ({
        ...r,
        overdue: true,
        deadlinePassed: true,
      }));
    case T.ReportFiled: {
      const p = event.payload;
      return withReport(state, p.period, p, (r) => ({
        ...r,
        revisions: [
          {
            revision: 1,
            filedOn: p.filedOn,
            late: p.late,
            contentKey: reportContentKey(p.content, p.documentHash),
          },
        ],
      }));
    }
    case T.ReportCorrected: {
      const p = event.payload;
      return withReport(state, p.period, { kind: p.kind, dueOn: '' }, (r) => ({
        ...r,
        revisions: [
          ...r.revisions,
          {
            revision: p.revision,
            filedOn: p.filedOn,
            late: r.revisions[0]?.late ?? false,
            contentKey: reportContentKey(p.content, p.documentHash),
          },
        ],
      }));
    }
    case T.OperationStartDeclared:
      return {
        ...state,
        declaredStart: { startedOn: event.payload.startedOn, declaredOn: event.payload.declaredOn },
      };
    case T.OperationStartRejected: {
      const { startedOn, rejectedOn, reason } = event.payload;
      return { ...state, declaredStart: null, lastStartRejection: { startedOn, rejectedOn, reason } };
    }
    case T.OperationStarted:
      return {
        ...state,
        status: state.status === 'ended' ? 'ended' : 'operating',
        declaredStart: null,
        startedOn: event.payload.startedOn,
      };
    case T.ActivityLogged: {
      const { heldOn, title, activityId } = event.payload;
      const year = Number(heldOn.slice(0, 4));
      const key = activityKey(heldOn, title);
      return {
        ...state,
        activitiesByYear: { ...state.activitiesByYear, [year]: (state.activitiesByYear[year] ?? 0) + 1 },
        // An activity logged twice before keys were kept stays counted as recorded; the first id is named.
        activityKeys: { ...state.activityKeys, [key]: state.activityKeys[key] ?? activityId },
      };
    }
    case T.ActivityWithdrawn: {
      const { heldOn, activityId } = event.payload;
      const year = Number(heldOn.slice(0, 4));
      const key = activityKeyOf(state, activityId);
      const activityKeys = { ...state.activityKeys };
      if (key !== undefined) delete activityKeys[key];
      return {
        ...state,
        activitiesByYear: { ...state.activitiesByYear, [year]: (state.activitiesByYear[year] ?? 0) - 1 },
        activityKeys,
      };
    }
    case T.MajorChangeReported: {
      const p = event.payload;
      const key = majorChangeKey(p.changes, p.effectiveOn, p.newFacts);
      return {
        ...state,
        factChanges: [...state.factChanges, { effectiveOn: p.effectiveOn, newFacts: p.newFacts }],
        majorChangeKeys: { ...state.majorChangeKeys, [key]: state.majorChangeKeys[key] ?? p.changeId },
      };
    }
    case T.MajorChangeEvaluated:
      return {
        ...state,
        majorChanges: {
          ...state.majorChanges,
          [event.payload.changeId]: { stillEligible: event.payload.stillEligible },
        },
      };
    case T.ObligationsEnded: {
      const { endedOn, ruleId, reason } = event.payload;
      return { ...state, status: 'ended', ended: { endedOn, ruleId, reason } };
    }
    case T.OperatingDeadlinePassed:
      return {
        ...state,
        operatingDeadlinePassed: { passedOn: event.payload.passedOn, cause: event.payload.cause },
      };
  }
}
