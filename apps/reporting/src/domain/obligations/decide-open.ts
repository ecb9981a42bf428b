import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError } from '@nqpf/domain';
import { requireDate, requireText } from '@nqpf/domain';
import { operatingDeadline, operationStartDeclarationsClose } from '@nqpf/rules';
import { firstPeriodAfter, isOwedAtEnd, periodFromKey } from './report-period';
import { scheduleReport } from './report-schedule';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';
import { reportOverdue, successorsOwedAtEnd } from './decide-reports';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

/**
 * CenterRecognized: the obligations start, with the A17.3a operating deadline (recognition + 2 years,
 * inclusive, under the policy in force on the recognition date), the last day a start made by it may be
 * declared (operationStartDeclarationDays later) and the first quarterly and annual deadlines stored. A center whose revocation was read first is opened ended, with the reports it owed
 * before the revocation overdue (reportsOwedBeforeTheEnd).
 */
export function openObligations(c: Cmd<'open'>, state: ObligationsState): ObligationsEvent[] {
  if (state.status !== 'none') {
    if (state.centerId === c.centerId && state.recognizedOn === c.recognizedOn) return [];
    throw new IllegalTransitionError('center already recognised', 'open obligations');
  }
  const centerId = requireText('centerId', c.centerId, 100);
  const recognizedOn = requireDate('recognizedOn', c.recognizedOn);
  if (c.facts !== undefined && c.facts !== null && (typeof c.facts !== 'object' || Array.isArray(c.facts)))
    throw new InvalidInputError('facts', 'must be an object of art. 6 facts when given');
  const opened: ObligationsEvent = {
    type: T.ObligationsOpened,
    schemaVersion: 1,
    payload: {
      centerId,
      district: requireText('district', c.district, 100),
      operatorId: requireText('operatorId', c.operatorId, 100),
      recognizedOn,
      policyVersion: c.policy.version,
      facts: c.facts ?? null,
      operatingDeadline: operatingDeadline(recognizedOn, c.policy),
      startDeclarationsCloseOn: operationStartDeclarationsClose(recognizedOn, c.policy),
    },
  };
  if (state.ended)
    return [opened, ...reportsOwedBeforeTheEnd(c, centerId, recognizedOn, state.ended.endedOn)];
  return [
    opened,
    scheduleReport(centerId, firstPeriodAfter('quarterly', recognizedOn), null, c.policy),
    scheduleReport(centerId, firstPeriodAfter('annual', recognizedOn), null, c.policy),
  ];
}

/**
 * What reading the recognition before the revocation records: the first quarterly and annual periods, and
 * those that followed them, scheduled as the timer would have, as long as they ended by the end (still owed);
 * each due before the end overdue as of it.
 */
function reportsOwedBeforeTheEnd(c: Cmd<'open'>, centerId: string, recognizedOn: string, endedOn: string) {
  const policy = c.policyOn(endedOn);
  return (['quarterly', 'annual'] as const).flatMap((kind) => {
    const period = firstPeriodAfter(kind, recognizedOn);
    if (!isOwedAtEnd(period, endedOn)) return [];
    const first = scheduleReport(centerId, period, null, c.policy);
    const { dueOn } = first.payload;
    const overdue =
      dueOn < endedOn
        ? [reportOverdue({ centerId }, { kind, period: period.key, dueOn }, endedOn, policy)]
        : [];
    return [
      first,
      ...overdue,
      ...successorsOwedAtEnd(centerId, { period, dueOn }, endedOn, c.policyOn, policy),
    ];
  });
}

/**
 * Revocation (assessment.center-revoked) ends every obligation but the reports of periods lived before it
 * (isOwedAtEnd); a repeated notice changes nothing. Read before the recognition (topics have no order
 * between them), it is recorded all the same, so that the recognition opens the center ended
 * (openObligations). A report due before the revocation and not filed is recorded overdue first, as of the
 * revocation day, whether its deadline timer has run yet or not; one of a period ended by then but due after
 * it is scheduled, and its deadline records it overdue if it passes unfiled.
 */
export function endObligations(c: Cmd<'end-obligations'>, state: ObligationsState): ObligationsEvent[] {
  if (state.status === 'ended' || (state.status === 'none' && state.ended)) return [];
  const endedOn = requireDate('endedOn', c.endedOn);
  const overdue =
    state.status === 'none'
      ? []
      : Object.values(state.reports)
          .filter((r) => r.scheduled && !r.deadlinePassed && r.revisions.length === 0 && r.dueOn < endedOn)
          .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.period.localeCompare(b.period))
          .map((r) => reportOverdue(state, r, endedOn, c.policy));
  // Periods the timer had not scheduled yet (it lagged, or the last one's deadline is after the end) are owed
  // too, when they ended by the end.
  const unscheduled =
    state.status === 'none'
      ? []
      : (['quarterly', 'annual'] as const).flatMap((kind) => {
          const latest = Object.values(state.reports)
            .filter((r) => r.kind === kind && r.scheduled)
            .sort((a, b) => a.period.localeCompare(b.period))
            .at(-1);
          if (!latest) return [];
          const last = { period: periodFromKey(latest.period), dueOn: latest.dueOn };
          return successorsOwedAtEnd(state.centerId, last, endedOn, c.policyOn, c.policy);
        });
  return [
    ...overdue,
    ...unscheduled,
    {
      type: T.ObligationsEnded,
      schemaVersion: 1,
      payload: {
        centerId: state.status === 'none' ? requireText('centerId', c.centerId, 100) : state.centerId,
        endedOn,
        ruleId: requireText('ruleId', c.ruleId, 20),
        reason: requireText('reason', c.reason),
      },
    },
  ];
}
