import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, RuleViolationError } from '@nqpf/domain';
import { addDays, decideReportOverdue, isBlankText, type Policy } from '@nqpf/rules';
import { requireCount, requireDate, requireSha256, requireText, underRules } from '@nqpf/domain';
import { requireActive, requireReportOwed } from './guards';
import { readReportContent, reportContentKey } from './report-content';
import {
  isOwedAfter,
  isOwedAtEnd,
  nextPeriod,
  periodFromKey,
  ReportPeriod,
  readPeriod,
} from './report-period';
import { dueDecision, scheduleReport } from './report-schedule';
import {
  ObligationsCommand,
  ObligationsEvent,
  ObligationsState,
  OpenObligations,
  ReportRecord,
} from './obligations.types';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

const ruleOf = (kind: 'quarterly' | 'annual') => (kind === 'quarterly' ? 'A14' : 'A15');

/**
 * A14/A15: the first report for a period is filed on time or late (both accepted); a later one is a
 * correction that supersedes the previous revision, which stays in the history, and says why (`reason`).
 * After a revocation, so are those of the periods that ended by its day (requireReportOwed).
 */
export function fileReport(c: Cmd<'file-report'>, s: ObligationsState): ObligationsEvent[] {
  const action = `file ${c.reportKind} report`;
  const recognised = s.status === 'ended' ? s : requireActive(s, action);
  const period = readPeriod(c.reportKind, c.year, c.quarter);
  const state = requireReportOwed(recognised, period, action);
  const rule = ruleOf(period.kind);
  const today = requireDate('today', c.today);
  if (!isOwedAfter(period, state.recognizedOn))
    throw new RuleViolationError(
      rule,
      `period ${period.key} ended before recognition on ${state.recognizedOn}`,
    );
  // A14/A15 report on a period after it: its last day is still inside it.
  if (today <= period.end)
    throw new RuleViolationError(
      rule,
      `period ${period.key} has not ended yet (its last day is ${period.end})`,
    );
  const content = readReportContent(period.kind, c.content);
  const documentHash = c.documentHash == null ? null : requireSha256('documentHash', c.documentHash);
  const existing = state.reports[period.key];
  const last = existing?.revisions.at(-1);
  // Two people correcting the same report: the one who read an older revision does not overwrite the other.
  if (c.supersedesRevision != null) {
    const read = requireCount('supersedesRevision', c.supersedesRevision);
    if (read !== (last?.revision ?? 0))
      throw new IllegalTransitionError(
        last
          ? `report ${period.key} is at revision ${last.revision}, not ${read}: filed again since you read it`
          : `report ${period.key} has no revision ${read}: none is filed yet`,
        'file report',
      );
  }
  if (last?.contentKey === reportContentKey(content, documentHash))
    throw new IllegalTransitionError(
      `report ${period.key} revision ${last.revision} says the same (content and document)`,
      'file report again',
    );
  if (last) {
    // A correction replaces what the bureau and the assessment read: it says why (a first filing need not).
    if (typeof c.reason !== 'string' || isBlankText(c.reason))
      throw new InvalidInputError(
        'reason',
        `${rule}: a correction of report ${period.key} (revision ${last.revision} is filed) must say why it supersedes it`,
      );
    return [
      {
        type: T.ReportCorrected,
        schemaVersion: 1,
        payload: {
          centerId: state.centerId,
          kind: period.kind,
          period: period.key,
          filedOn: today,
          revision: last.revision + 1,
          supersedesRevision: last.revision,
          content,
          documentHash,
          reason: requireText('reason', c.reason),
        },
      },
    ];
  }
  // A first filing records no reason (it would be dropped): `reason` says why a correction supersedes one.
  if (c.reason != null && c.reason !== '')
    throw new InvalidInputError('reason', 'is for a correction of a filed report; this is the first filing');
  const dueOn = existing?.dueOn ?? dueDecision(period, c.policy).outcome.dueDate;
  const decision = underRules(() =>
    decideReportOverdue({ report: period.kind, dueDate: dueOn, filedOn: today, asOf: today }, c.policy),
  );
  return [
    {
      type: T.ReportFiled,
      schemaVersion: 1,
      payload: {
        centerId: state.centerId,
        kind: period.kind,
        period: period.key,
        filedOn: today,
        dueOn,
        late: decision.outcome.overdue,
        revision: 1,
        content,
        documentHash,
        decision,
      },
    },
  ];
}

/**
 * The stored deadline of a period fired: an unfiled report becomes overdue, and the next period of the
 * same kind is scheduled. Firing twice does nothing. After revocation, only for the periods still owed
 * (those ended by the revocation day, isOwedAtEnd): a later one's deadline does nothing, and no later
 * period is scheduled.
 */
export function passReportDeadline(c: Cmd<'pass-report-deadline'>, s: ObligationsState): ObligationsEvent[] {
  const period = periodFromKey(c.period);
  const owed = (p: ReportPeriod) => s.status !== 'ended' || isOwedAtEnd(p, s.ended!.endedOn);
  if (!owed(period)) return [];
  const state = requireReportOwed(s, period, 'pass report deadline');
  const record = state.reports[period.key];
  if (!record?.scheduled)
    throw new IllegalTransitionError(`no deadline stored for report ${period.key}`, 'pass report deadline');
  if (record.deadlinePassed) return [];
  const today = requireDate('today', c.today);
  if (today <= record.dueOn)
    throw new RuleViolationError(
      ruleOf(period.kind),
      `report ${period.key} is due on ${record.dueOn} inclusive; its deadline has not passed on ${today}`,
    );
  const events: ObligationsEvent[] = [];
  if (record.revisions.length === 0) events.push(reportOverdue(state, record, today, c.policy));
  const next = nextPeriod(period);
  if (!state.reports[next.key]?.scheduled && owed(next))
    events.push(scheduleReport(state.centerId, next, period.key, c.policy));
  return events;
}

/** An unfiled report past its due date, as of `asOf` (A14/A15, decision report-overdue). */
export function reportOverdue(
  state: Pick<OpenObligations, 'centerId'>,
  record: Pick<ReportRecord, 'kind' | 'period' | 'dueOn'>,
  asOf: string,
  policy: Policy,
): ObligationsEvent {
  const decision = underRules(() =>
    decideReportOverdue({ report: record.kind, dueDate: record.dueOn, filedOn: null, asOf }, policy),
  );
  return {
    type: T.ReportOverdue,
    schemaVersion: 1,
    payload: {
      centerId: state.centerId,
      kind: record.kind,
      period: record.period,
      dueOn: record.dueOn,
      asOf,
      decision,
    },
  };
}

/**
 * The periods after `last` still owed at the end (`endedOn`), as reporting's timer records them when on time:
 * each scheduled once its predecessor's deadline passed before the end, under the policy in force that day,
 * as long as it ended by the end (isOwedAtEnd); those due before the end (nothing can be filed for a period
 * not scheduled) overdue as of it, under `policy`. One due on or after the end stays due: its own deadline
 * records it overdue if it passes unfiled (passReportDeadline).
 */
export function successorsOwedAtEnd(
  centerId: string,
  last: { period: ReportPeriod; dueOn: string },
  endedOn: string,
  policyOn: (date: string) => Policy,
  policy: Policy,
): ObligationsEvent[] {
  const events: ObligationsEvent[] = [];
  for (let prev = last; prev.dueOn <= endedOn;) {
    const period = nextPeriod(prev.period);
    if (!isOwedAtEnd(period, endedOn)) break;
    const scheduled = scheduleReport(centerId, period, prev.period.key, policyOn(addDays(prev.dueOn, 1)));
    const { dueOn } = scheduled.payload;
    events.push(scheduled);
    const record = { kind: period.kind, period: period.key, dueOn };
    if (dueOn < endedOn) events.push(reportOverdue({ centerId }, record, endedOn, policy));
    prev = { period, dueOn };
  }
  return events;
}
