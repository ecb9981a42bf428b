import { ReportingEventTypes as T } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError } from '@nqpf/domain';
import { requireDate, requireText } from '@nqpf/domain';
import { operatingDeadline, Policy } from '@nqpf/rules';
import { firstPeriodAfter, nextPeriod } from './report-period';
import { scheduleReport } from './report-schedule';
import { ObligationsCommand, ObligationsEvent, ObligationsState } from './obligations.types';
import { reportOverdue } from './decide-reports';

type Cmd<K> = Extract<ObligationsCommand, { kind: K }>;

/**
 * CenterRecognized: the obligations start, with the A17.3a operating deadline (recognition + 2 years,
 * inclusive, under the policy in force on the recognition date) and the first quarterly and annual
 * deadlines stored. A center whose revocation was read first is opened ended, with the reports it owed
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
    },
  };
  if (state.ended)
    return [opened, ...reportsOwedBeforeTheEnd(centerId, recognizedOn, state.ended.endedOn, c.policy)];
  return [
    opened,
    scheduleReport(centerId, firstPeriodAfter('quarterly', recognizedOn), null, c.policy),
    scheduleReport(centerId, firstPeriodAfter('annual', recognizedOn), null, c.policy),
  ];
}

/**
 * What reading the recognition before the revocation records: each period from recognition whose report was
 * due before the end scheduled, in turn, and overdue as of the end (nothing can have been filed); a period
 * due later never falls due.
 */
function reportsOwedBeforeTheEnd(
  centerId: string,
  recognizedOn: string,
  endedOn: string,
  policy: Policy,
): ObligationsEvent[] {
  const events: ObligationsEvent[] = [];
  for (const kind of ['quarterly', 'annual'] as const) {
    let follows: string | null = null;
    for (let period = firstPeriodAfter(kind, recognizedOn); ; period = nextPeriod(period)) {
      const scheduled = scheduleReport(centerId, period, follows, policy);
      const { dueOn } = scheduled.payload;
      if (dueOn >= endedOn) break;
      const record = { kind, period: period.key, dueOn };
      events.push(scheduled, reportOverdue({ centerId }, record, endedOn, policy));
      follows = period.key;
    }
  }
  return events;
}

/**
 * Revocation (assessment.center-revoked) ends every obligation; a repeated notice changes nothing. Read
 * before the recognition (topics have no order between them), it is recorded all the same, so that the
 * recognition opens the center ended (openObligations). A report due before the revocation and not filed
 * is recorded overdue first, as of the revocation day, whether its deadline timer has run yet or not.
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
  return [
    ...overdue,
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
