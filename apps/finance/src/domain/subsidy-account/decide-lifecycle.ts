import { FinanceEventTypes as T, GrantCancelledV1 } from '@nqpf/contracts';
import { IllegalTransitionError, InvalidInputError, NotFoundError } from '@nqpf/domain';
import { yearOf } from '@nqpf/rules';
import { checkDate, checkText, MAX_ID } from '../shared/checks';
import { OpenAccount, StopSupport } from './subsidy-account.commands';
import { event, SubsidyAccountEvent } from './subsidy-account.events';
import { paidAfterRevocation, supportYearLedger } from './subsidy-account.ledger';
import { SubsidyAccountState } from './subsidy-account.state';

/** A12.1: support years 1..supportYears; support year n is calendar year (recognition year + n − 1). */
export function decideOpen(command: OpenAccount, state: SubsidyAccountState): SubsidyAccountEvent[] {
  const recognizedOn = checkDate('recognizedOn', command.recognizedOn);
  if (state.status !== 'none') {
    const same = state.centerId === command.centerId && state.recognizedOn === recognizedOn;
    if (same) return []; // the recognition delivered again
    throw new IllegalTransitionError(`subsidy account ${state.status}`, 'open subsidy account');
  }
  const centerId = checkText('centerId', command.centerId, MAX_ID);
  const district = checkText('district', command.district, MAX_ID);
  const operatorId = checkText('operatorId', command.operatorId, MAX_ID);
  if (command.policy.effectiveFrom > recognizedOn)
    throw new InvalidInputError(
      'policy',
      `version ${command.policy.version} is not in force on ${recognizedOn}`,
    );
  const first = yearOf(recognizedOn);
  const supportYears = Array.from({ length: command.policy.supportYears }, (_, i) => ({
    supportYear: i + 1,
    calendarYear: first + i,
  }));
  return [
    event(T.SubsidyAccountOpened, {
      centerId,
      district,
      operatorId,
      recognizedOn,
      policyVersion: command.policy.version,
      supportYears,
    }),
  ];
}

/**
 * A16 / A17.3: revocation is final. Every year not fully paid is cancelled: a year still awaiting its
 * grant, a pending year-1 declaration, or the undisbursed rest of a grant. Disbursements already recorded
 * with a day after the revocation's are named, to be recovered.
 */
export function decideStopSupport(command: StopSupport, state: SubsidyAccountState): SubsidyAccountEvent[] {
  const revokedOn = checkDate('revokedOn', command.revokedOn);
  const rule = checkText('rule', command.rule, MAX_ID);
  const reason = checkText('reason', command.reason);
  if (state.status === 'none') throw new NotFoundError('subsidy account');
  if (state.status === 'stopped') return []; // the revocation delivered again
  const cancellations: GrantCancelledV1[] = [];
  for (const year of state.years) {
    const base = { centerId: state.centerId, supportYear: year.supportYear, revokedOn, rule };
    if (year.status === 'awaiting') cancellations.push({ ...base, was: 'awaiting-grant', cancelledFen: '0' });
    if (year.status === 'declared')
      cancellations.push({ ...base, was: 'pending-declaration', cancelledFen: '0' });
    if (year.status === 'granted') {
      const rest = supportYearLedger(state, year.supportYear).undisbursed;
      if (!rest.isZero())
        cancellations.push({ ...base, was: 'undisbursed-grant', cancelledFen: rest.toFenText() });
    }
  }
  return [
    event(T.SupportStopped, {
      centerId: state.centerId,
      revokedOn,
      rule,
      reason,
      paidAfterRevocation: paidAfterRevocation(state, revokedOn),
    }),
    ...cancellations.map((c) => event(T.GrantCancelled, c)),
  ];
}
